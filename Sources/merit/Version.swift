/// The version of Merit that `merit --version` prints (and the manual pages carry): the one place it is written.
/// Bump it when a release changes what users see; the rubric versions and the JSON document's own version are separate.
enum MeritVersion {
    static let current = "1.0.0"
}
