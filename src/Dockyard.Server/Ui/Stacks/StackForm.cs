using Dockyard.Server.Errors;

namespace Dockyard.Server.Ui.Stacks;

/// <summary>
/// The fields of the stack pages' forms. The editor posts the metadata, the Compose files and the environment; the
/// stack page's forms post only what their button needs (replicas, a revision). Attachments and follow check boxes
/// are read from the request itself (<see cref="StackFormRequest"/>): file inputs and a variable set of check boxes do
/// not bind to a model. The stack service validates every value.
/// </summary>
public sealed class StackForm
{
    public string? Name { get; set; }

    public string? Collection { get; set; }

    public string? Version { get; set; }

    public string? Description { get; set; }

    public string? SourceUrl { get; set; }

    public string? SourceRevision { get; set; }

    /// <summary>The Compose files, merged in order.</summary>
    public List<StackFileField> Files { get; set; } = [];

    /// <summary>Plain variables, one <c>KEY=VALUE</c> a line.</summary>
    public string? Environment { get; set; }

    /// <summary>Secret variables, one <c>KEY=VALUE</c> a line: stored encrypted, never shown again.</summary>
    public string? Secrets { get; set; }

    /// <summary>Scale: the service's short name and its new replica count.</summary>
    public string? Service { get; set; }

    public int? Replicas { get; set; }

    /// <summary>Rollback: the revision to go back to.</summary>
    public int? Revision { get; set; }

    /// <summary>Adopt: the collection the adopted stack goes to (blank: the services' own).</summary>
    public string? AdoptCollection { get; set; }

    /// <summary>
    /// The variables (plain and secret) for the Compose interpolation and the names of the secret ones. A line without
    /// <c>=</c>, a bad name or a name given twice is refused (400 naming the field and line).
    /// </summary>
    internal (Dictionary<string, string> Environment, List<string> SecretNames) ParseEnvironment()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        Parse(Environment, "environment", environment);
        var secrets = new Dictionary<string, string>(StringComparer.Ordinal);
        Parse(Secrets, "secret variables", secrets);
        foreach (var (key, value) in secrets)
        {
            if (!environment.TryAdd(key, value))
            {
                throw DomainException.Invalid("secret variables", $"{key} is also a plain variable.");
            }
        }

        return (environment, secrets.Keys.ToList());
    }

    /// <summary>The environment as the text box shows it, one <c>KEY=VALUE</c> a line, by key.</summary>
    internal static string Format(IEnumerable<KeyValuePair<string, string>> variables) =>
        string.Join('\n', variables.OrderBy(v => v.Key, StringComparer.Ordinal).Select(v => $"{v.Key}={v.Value}"));

    private static void Parse(string? text, string field, Dictionary<string, string> into)
    {
        var number = 0;
        foreach (var raw in (text ?? string.Empty).Split('\n'))
        {
            number++;
            var line = raw.TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#'))
            {
                continue;
            }

            var split = line.IndexOf('=', StringComparison.Ordinal);
            var key = split > 0 ? line[..split].Trim() : string.Empty;
            if (key.Length == 0 || !key.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(key[0]))
            {
                throw DomainException.Invalid(field, $"Line {number} is not NAME=value.");
            }

            if (!into.TryAdd(key, line[(split + 1)..]))
            {
                throw DomainException.Invalid(field, $"{key} is given twice.");
            }
        }
    }
}
