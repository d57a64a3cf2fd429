using System.Globalization;

namespace Dockyard.Server.Api;

/// <summary>
/// Route constraint <c>repositorypath(shape)</c>: a <c>/repositories/{**path}</c> catch-all that addresses one
/// repository sub-resource (<see cref="RepositoryPath"/>), e.g. <c>repositorypath(webhooks/{id})</c>. A constrained
/// catch-all outranks the plain repository routes, so these paths reach their endpoints and every other path still
/// reaches the repository endpoints. <see cref="RepositoryPathDescriptions"/> documents each as its real path.
/// </summary>
internal sealed class RepositoryPathConstraint(string shape) : IRouteConstraint
{
    public const string Name = "repositorypath";

    /// <summary>The route template (below <c>/repositories</c>) of the sub-resource <paramref name="shape"/>.</summary>
    public static string Route(string shape) => "/{**path:" + Name + "(" + shape.Replace("{", "{{", StringComparison.Ordinal).Replace("}", "}}", StringComparison.Ordinal) + ")}";

    public string Shape => shape;

    public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
        values.TryGetValue(routeKey, out var value) && Convert.ToString(value, CultureInfo.InvariantCulture) is { } path
        && RepositoryPath.TryParse(path, shape, out _);
}
