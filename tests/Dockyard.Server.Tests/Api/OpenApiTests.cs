using System.Text.Json;
using Microsoft.AspNetCore.Routing;

namespace Dockyard.Server.Tests.Api;

public sealed class OpenApiTests
{
    [Fact]
    public async Task OpenApiDocument_ListsManagementOperations()
    {
        await using var server = await ApiTestServer.StartAsync();

        using var document = JsonDocument.Parse(await server.Anonymous().GetStringAsync("/api/v1/openapi.json"));

        var operationIds = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject())
            .Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("operationId", out _))
            .Select(o => o.Value.GetProperty("operationId").GetString())
            .ToHashSet();
        foreach (var expected in new[]
        {
            "GetMe", "ChangeMyPassword", "ListMyTokens", "CreateMyToken", "RevokeMyToken", "ListUsers", "CreateUser", "GetUser", "UpdateUser",
            "DeleteUser", "ResetUserPassword", "ListOrganizations", "CreateOrganization", "GetOrganization", "UpdateOrganization",
            "DeleteOrganization", "ListOrganizationMembers", "AddOrganizationMember", "UpdateOrganizationMember", "RemoveOrganizationMember",
            "ListTeams", "CreateTeam", "GetTeam", "UpdateTeam", "DeleteTeam", "ListTeamMembers", "AddTeamMember", "RemoveTeamMember",
            "ListServiceAccounts", "CreateServiceAccount", "GetServiceAccount", "UpdateServiceAccount", "DeleteServiceAccount",
            "ListServiceAccountTokens", "CreateServiceAccountToken", "RevokeServiceAccountToken", "ListRepositories", "GetRepository",
            "CreateRepository", "UpdateRepository", "GrantRepositoryPermission", "DeleteRepositoryOrPermission",
        })
        {
            Assert.Contains(expected, operationIds);
        }
    }

    [Fact]
    public async Task OpenApiDocument_EveryApiEndpoint_IsAnOperation()
    {
        await using var server = await ApiTestServer.StartAsync();
        using var document = JsonDocument.Parse(await server.Anonymous().GetStringAsync("/api/v1/openapi.json"));
        var operations = document.RootElement.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject()
                .Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("operationId", out _))
                .Select(o => (Method: o.Name.ToUpperInvariant(), Id: o.Value.GetProperty("operationId").GetString(), Path: path.Name)))
            .ToList();

        var endpoints = server.Get<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1/", StringComparison.Ordinal) == true)
            .ToList();
        var missing = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["(any)"])
            {
                if (name is null || !operations.Any(o => o.Id == name && o.Method == method))
                {
                    missing.Add($"{method} {endpoint.RoutePattern.RawText} ({name ?? "no name"})");
                }
            }
        }

        Assert.True(endpoints.Count > 50, $"only {endpoints.Count} /api/v1 endpoints found");
        Assert.True(missing.Count == 0, "Endpoints missing from /api/v1/openapi.json (or without a unique name):\n" + string.Join('\n', missing));
        Assert.Contains(operations, o => o is { Method: "GET", Id: "ListRepositoryWebhookDeliveries", Path: "/api/v1/repositories/{name}/webhooks/{id}/deliveries" });
        Assert.Contains(operations, o => o is { Method: "GET", Id: "GetRepository" });
        Assert.Equal(operations.Count, operations.Select(o => o.Id).Distinct().Count());
    }
}
