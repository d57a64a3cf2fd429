using System.Globalization;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Search;

/// <summary>
/// A validated search: the words of <c>q</c> (each a prefix, all required) and the filters, each optional but not
/// all absent. Built by <see cref="Parse"/>, which turns bad input into <see cref="DomainException.Invalid"/> (400).
/// </summary>
internal sealed record SearchRequest
{
    public const int MaxLimit = 100;
    public const int MaxQueryLength = 256;

    public IReadOnlyList<string> Words { get; init; } = [];

    public string? Organization { get; init; }

    public string? LabelKey { get; init; }

    public string? LabelValue { get; init; }

    public string? Architecture { get; init; }

    public DateTimeOffset? Since { get; init; }

    public bool? Signed { get; init; }

    public int Limit { get; init; } = 20;

    public int Offset { get; init; }

    /// <summary>Validates the raw parameters (as the API and the UI receive them).</summary>
    public static SearchRequest Parse(string? q, string? org, string? label, string? arch, string? since, string? signed, int? limit, int? offset)
    {
        if (q is { Length: > MaxQueryLength })
        {
            throw DomainException.Invalid("q", $"At most {MaxQueryLength} characters.");
        }

        var words = SearchText.QueryWords(q);
        if (!string.IsNullOrEmpty(q) && words.Count == 0)
        {
            throw DomainException.Invalid("q", "Must contain a letter or digit: search matches words (letters and digits), each as a prefix.");
        }

        string? labelKey = null, labelValue = null;
        if (!string.IsNullOrEmpty(label))
        {
            var equals = label.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || label.Length > 512)
            {
                throw DomainException.Invalid("label", "Use key=value (the value may be empty), at most 512 characters.");
            }

            labelKey = label[..equals];
            labelValue = label[(equals + 1)..];
            if (labelKey.Contains('\n', StringComparison.Ordinal) || labelValue.Contains('\n', StringComparison.Ordinal))
            {
                throw DomainException.Invalid("label", "Must be one line.");
            }
        }

        if (!string.IsNullOrEmpty(arch) && (arch.Length > 32 || !arch.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            throw DomainException.Invalid("arch", "An architecture as images name it (amd64, arm64, arm, 386, ppc64le, s390x, riscv64, …).");
        }

        if (!string.IsNullOrEmpty(org) && (org.Length > 255 || org.Contains('/', StringComparison.Ordinal)))
        {
            throw DomainException.Invalid("org", "An organization (or user) name: the first component of repository names.");
        }

        DateTimeOffset? sinceTime = null;
        if (!string.IsNullOrEmpty(since))
        {
            if (!DateTimeOffset.TryParse(since, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                throw DomainException.Invalid("since", "A date or time (ISO 8601, e.g. 2026-12-01 or 2026-12-01T08:00:00Z).");
            }

            sinceTime = parsed.ToUniversalTime();
        }

        bool? signedFilter = signed switch
        {
            null or "" => null,
            "true" => true,
            "false" => false,
            _ => throw DomainException.Invalid("signed", "true or false."),
        };

        if (limit is < 1 or > MaxLimit)
        {
            throw DomainException.Invalid("limit", $"Between 1 and {MaxLimit}.");
        }

        if (offset is < 0 or > 10_000)
        {
            throw DomainException.Invalid("offset", "Between 0 and 10000.");
        }

        var request = new SearchRequest
        {
            Words = words,
            Organization = string.IsNullOrEmpty(org) ? null : org.ToLowerInvariant(),
            LabelKey = labelKey,
            LabelValue = labelValue,
            Architecture = string.IsNullOrEmpty(arch) ? null : arch.ToLowerInvariant(),
            Since = sinceTime,
            Signed = signedFilter,
            Limit = limit ?? 20,
            Offset = offset ?? 0,
        };
        if (request.Words.Count == 0 && !request.HasFilter)
        {
            throw DomainException.Invalid("q", "Required unless a filter (org, label, arch, since, signed) is given.");
        }

        return request;
    }

    public bool HasFilter => Organization is not null || LabelKey is not null || Architecture is not null || Since is not null || Signed is not null;
}
