using System.Reflection;

namespace Dockyard.Server.Observability;

/// <summary>
/// The running build: the product version and the git commit it was built from. The SDK writes both into the
/// assembly's informational version (<c>0.12.0+&lt;40-hex sha&gt;</c>) when the source is a git checkout; a build
/// from an exported tree has no commit ("unknown").
/// </summary>
internal sealed record BuildInfo(string Version, string Commit)
{
    /// <summary>This process's build, read once.</summary>
    public static BuildInfo Current { get; } = Parse(
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);

    /// <summary>The first 12 characters of the commit, as shown in the UI footer and logs.</summary>
    public string ShortCommit => Commit.Length > 12 ? Commit[..12] : Commit;

    /// <summary>Splits <c>version+commit</c>; a missing part becomes "unknown".</summary>
    public static BuildInfo Parse(string? informationalVersion)
    {
        if (string.IsNullOrWhiteSpace(informationalVersion))
        {
            return new BuildInfo("unknown", "unknown");
        }

        var plus = informationalVersion.IndexOf('+', StringComparison.Ordinal);
        return plus < 0
            ? new BuildInfo(informationalVersion, "unknown")
            : new BuildInfo(informationalVersion[..plus], informationalVersion[(plus + 1)..] is { Length: > 0 } c ? c : "unknown");
    }
}
