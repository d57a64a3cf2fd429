using System.Globalization;
using Dockyard.Server.Errors;
using Dockyard.Server.Policies;

namespace Dockyard.Server.Ui.Policies;

/// <summary>
/// The fields of the policy and storage forms (each form posts the few it shows). Values are passed to the services
/// as typed; they validate them (<see cref="RetentionPolicyService"/>, <see cref="QuotaService"/>, …).
/// </summary>
public sealed class PolicyForm
{
    private static readonly Dictionary<string, long> Units = new(StringComparer.Ordinal)
    {
        ["MiB"] = 1L << 20,
        ["GiB"] = 1L << 30,
        ["TiB"] = 1L << 40,
    };

    public long Id { get; set; }

    public string? TagPattern { get; set; }

    public string? RepositoryPattern { get; set; }

    public bool Enabled { get; set; }

    public int? KeepLastTags { get; set; }

    /// <summary>Tag patterns to keep, separated by commas, spaces or lines.</summary>
    public string? KeepTags { get; set; }

    public string? DeleteUntaggedAfter { get; set; }

    public bool IncludeRecent { get; set; }

    public decimal? QuotaValue { get; set; }

    public string? QuotaUnit { get; set; }

    public bool DryRun { get; set; }

    public bool DeleteUntaggedManifests { get; set; }

    public string? Interval { get; set; }

    /// <summary>The unit names the quota form offers.</summary>
    internal static IEnumerable<string> QuotaUnits => Units.Keys;

    internal RetentionSettings ToRetentionSettings() => new(
        Enabled,
        KeepLastTags,
        KeepTags?.Split([',', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries),
        string.IsNullOrWhiteSpace(DeleteUntaggedAfter) ? null : DeleteUntaggedAfter.Trim(),
        IncludeRecent);

    /// <summary>The quota in bytes; invalid (field <c>limitBytes</c>) when missing, negative or too large.</summary>
    internal long QuotaBytes()
    {
        if (QuotaValue is not { } value || value < 0 || !Units.TryGetValue(QuotaUnit ?? "GiB", out var unit) || value > long.MaxValue / unit)
        {
            throw DomainException.Invalid("limitBytes", "Enter the quota as a number of MiB, GiB or TiB (0 or more).");
        }

        return (long)decimal.Round(value * unit, MidpointRounding.AwayFromZero);
    }

    /// <summary>A rule as a form shows it again: the patterns comma-separated.</summary>
    internal static string JoinPatterns(IReadOnlyList<string> patterns) => string.Join(", ", patterns);

    internal static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? string.Empty;
}
