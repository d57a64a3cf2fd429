using System.Globalization;
using System.Text.RegularExpressions;

namespace Dockyard.Server.Api;

/// <summary>
/// Route constraint <c>immutabilitypath</c>: a repository catch-all path that addresses immutability rules
/// (<c>{name}/immutability-rules</c>, <c>{name}/immutability-rules/{id}</c>); like <see cref="WebhookPathConstraint"/>,
/// it outranks the plain <c>/repositories/{**path}</c> routes only for these paths.
/// </summary>
internal sealed partial class ImmutabilityPathConstraint : IRouteConstraint
{
    public const string Name = "immutabilitypath";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && Convert.ToString(value, CultureInfo.InvariantCulture) is { } path && TryParse(path, out _);

    /// <summary>Splits a path into repository and rule id (null for the collection).</summary>
    public static bool TryParse(string path, out (string Repository, long? Id) parsed)
    {
        var match = Pattern().Match(path);
        parsed = default;
        if (!match.Success)
        {
            return false;
        }

        long? id = null;
        if (match.Groups["id"].Success)
        {
            if (!long.TryParse(match.Groups["id"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return false;
            }

            id = number;
        }

        parsed = (match.Groups["repository"].Value, id);
        return true;
    }

    [GeneratedRegex(@"^(?<repository>.+)/immutability-rules(?:/(?<id>[0-9]{1,18}))?/?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
