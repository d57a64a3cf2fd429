using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1</c>: the management REST API. Every endpoint sits in this group, so every endpoint refuses bad credentials
/// with 401 (<see cref="ApiPrincipal"/>; the caller itself is <c>HttpContext.User</c>) and ProblemDetails errors; each resource's endpoint class maps its routes
/// here and authorizes each handler itself through the access authorizer.
/// </summary>
internal static class ManagementApi
{
    public const string Prefix = "/api/v1";

    /// <summary>
    /// The API's own services: the route constraint that picks repository sub-resources out of catch-all paths, and
    /// their description under their real paths in the OpenAPI document.
    /// </summary>
    public static IServiceCollection AddManagementApi(this IServiceCollection services)
    {
        services.Configure<RouteOptions>(routes => routes.SetParameterPolicy<RepositoryPathConstraint>(RepositoryPathConstraint.Name));
        services.TryAddEnumerable(ServiceDescriptor.Transient<IApiDescriptionProvider, RepositoryPathDescriptions>());
        services.ConfigureAll<OpenApiOptions>(options => options.AddOperationTransformer(RepositoryPathDescriptions.AddIdParameterAsync));
        return services;
    }

    public static IEndpointRouteBuilder MapManagementApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix).AddEndpointFilter(ApiPrincipal.RefuseBadCredentialsAsync).AddEndpointFilter(Audit.ManagementAuditFilter.RecordAsync);
        MeEndpoints.Map(api);
        PersonalTokenEndpoints.Map(api);
        UserEndpoints.Map(api);
        OrganizationEndpoints.Map(api);
        OrganizationMemberEndpoints.Map(api);
        TeamEndpoints.Map(api);
        ServiceAccountEndpoints.Map(api);
        RepositoryEndpoints.Map(api);
        SigningKeyEndpoints.Map(api);
        LdapEndpoints.Map(api);
        WebhookEndpoints.Map(api);
        ImmutabilityRuleEndpoints.Map(api);
        RetentionEndpoints.Map(api);
        QuotaEndpoints.Map(api);
        AuditEndpoints.Map(api);
        SystemEndpoints.Map(api);
        return endpoints;
    }
}
