using System.Globalization;
using System.Text.RegularExpressions;

namespace Dockyard.Server.Api;

/// <summary>
/// Route constraint <c>webhookpath</c>: a repository catch-all path that addresses webhooks
/// (<c>{name}/webhooks</c>, <c>{name}/webhooks/{id}</c>, <c>{name}/webhooks/{id}/deliveries</c>,
/// <c>{name}/webhooks/{id}/test</c>). A constrained catch-all outranks the plain <c>/repositories/{**path}</c>
/// routes, so these paths reach the webhook endpoints and every other path still reaches the repository endpoints.
/// </summary>
internal sealed partial class WebhookPathConstraint : IRouteConstraint
{
    public const string Name = "webhookpath";

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && Convert.ToString(value, CultureInfo.InvariantCulture) is { } path && TryParse(path, out _);

    /// <summary>Splits a path into repository, webhook id (null for the collection) and action (<c>deliveries</c>, <c>test</c> or null).</summary>
    public static bool TryParse(string path, out (string Repository, long? Id, string? Action) parsed)
    {
        var match = Pattern().Match(path);
        if (!match.Success)
        {
            parsed = default;
            return false;
        }

        long? id = null;
        if (match.Groups["id"].Success)
        {
            if (!long.TryParse(match.Groups["id"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                parsed = default;
                return false;
            }

            id = number;
        }

        parsed = (match.Groups["repository"].Value, id, match.Groups["action"].Success ? match.Groups["action"].Value : null);
        return true;
    }

    [GeneratedRegex(@"^(?<repository>.+)/webhooks(?:/(?<id>[0-9]{1,18})(?:/(?<action>deliveries|test))?)?/?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
