using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1</c>: the management REST API. Every endpoint sits in this group, so every endpoint refuses bad credentials
/// with 401 (<see cref="ApiPrincipal"/>; the caller itself is <c>HttpContext.User</c>) and answers errors as
/// ProblemDetails (<see cref="ApiErrorFilter"/>, outermost, so it also covers the credential check;
/// what the framework answers itself, such as a path no route matches, gets ProblemDetails from
/// <see cref="UseManagementApiErrors"/>); each resource's endpoint class maps its routes here.
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

    /// <summary>
    /// Empty error responses on <c>/api/v1</c> become ProblemDetails: the framework answers a JSON body it cannot read
    /// with a bare 400 before any endpoint filter runs, and an unmatched path or method with a bare 404 or 405.
    /// </summary>
    public static IApplicationBuilder UseManagementApiErrors(this IApplicationBuilder app) =>
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(Prefix, StringComparison.Ordinal),
            api => api.UseStatusCodePages(context =>
            {
                var http = context.HttpContext;
                var status = http.Response.StatusCode;
                var result = status == StatusCodes.Status400BadRequest ? ApiResults.Malformed()
                    : status == StatusCodes.Status404NotFound ? ApiResults.NotFound($"No such API resource: {http.Request.Method} {http.Request.Path}.")
                    : Results.Problem(statusCode: status);
                return result.ExecuteAsync(http);
            }));

    public static IEndpointRouteBuilder MapManagementApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup(Prefix)
            .AddEndpointFilter(ApiErrorFilter.HandleAsync)
            .AddEndpointFilter(ApiPrincipal.RefuseBadCredentialsAsync);
        MeEndpoints.Map(api);
        PersonalTokenEndpoints.Map(api);
        SessionEndpoints.Map(api);
        UserEndpoints.Map(api);
        OrganizationEndpoints.Map(api);
        OrganizationMemberEndpoints.Map(api);
        TeamEndpoints.Map(api);
        ServiceAccountEndpoints.Map(api);
        RepositoryEndpoints.Map(api);
        SearchEndpoints.Map(api);
        RepositoryAccessEndpoints.Map(api);
        SignatureEndpoints.Map(api);
        UntaggedManifestEndpoints.Map(api);
        SigningKeyEndpoints.Map(api);
        TokenCaEndpoints.Map(api);
        LdapEndpoints.Map(api);
        WebhookEndpoints.Map(api);
        ImmutabilityRuleEndpoints.Map(api);
        TrustPolicyEndpoints.Map(api);
        RetentionEndpoints.Map(api);
        QuotaEndpoints.Map(api);
        AuditEndpoints.Map(api);
        SystemEndpoints.Map(api);
        StorageEndpoints.Map(api);
        EngineEndpoints.Map(api);
        CollectionGrantEndpoints.Map(api);
        NodeEndpoints.Map(api);
        ContainerExecEndpoints.Map(api);
        EventEndpoints.Map(api);
        ContainerEndpoints.Map(api);
        EngineImageEndpoints.Map(api);
        ContainerStreamEndpoints.Map(api);
        StackStatusEndpoints.Map(api);
        StackEndpoints.Map(api);
        StackHookEndpoints.Map(api);
        TrustKeyEndpoints.Map(api);
        SigningEndpoints.Map(api);
        StackHookEndpoints.MapCalls(endpoints);
        return endpoints;
    }
}
