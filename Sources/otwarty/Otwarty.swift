import OtwartyApp

/// The executable is only the entry point; everything lives in OtwartyApp (see docs/architecture.md).
@main
enum Otwarty {
    static func main() async {
        await OtwartyCommand.main()
    }
}
