import OtwartyApp
