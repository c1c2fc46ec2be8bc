/* Declarations only (see include/CSQLiteDirect.h); SwiftPM needs one source file per C target. */
#include "CSQLiteDirect.h"
