/// Uploading a CSV of activity records (docs/import-format.md).
public enum ImportShow {
    public static let template = "import"
    public struct Model {
        public var page: PageChrome
        public var action: String
        public var statuses: [AdminUsersShow.Option]
        public var createOrganisations: Bool
        /// Problems by row and column, when the file was rejected.
        public var problems: [String]
        public var omitted: Int
        public var fileError: String?
        public var imported: String?
    }
}
