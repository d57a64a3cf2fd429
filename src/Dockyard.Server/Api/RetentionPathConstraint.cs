using System.Globalization;
using System.Text.RegularExpressions;

namespace Dockyard.Server.Api;

/// <summary>
/// Route constraint <c>retentionpath</c>: a repository catch-all path that addresses its retention policy
/// (<c>{name}/retention</c>) or a run (<c>{name}/retention/run</c>); see <see cref="WebhookPathConstraint"/>.
/// </summary>
internal sealed partial class RetentionPathConstraint : IRouteConstraint
{
    public const string Name = "retentionpath";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && Convert.ToString(value, CultureInfo.InvariantCulture) is { } path && TryParse(path, out _);

    /// <summary>Splits a path into repository and whether it names a run.</summary>
    public static bool TryParse(string path, out (string Repository, bool Run) parsed)
    {
        var match = Pattern().Match(path);
        parsed = match.Success ? (match.Groups["repository"].Value, match.Groups["run"].Success) : default;
        return match.Success;
    }

    [GeneratedRegex(@"^(?<repository>.+)/retention(?<run>/run)?/?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
