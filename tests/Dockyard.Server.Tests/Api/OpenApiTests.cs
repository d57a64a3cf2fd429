using System.Text.Json;

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
            "UpdateRepository", "GrantRepositoryPermission", "RevokeRepositoryPermission",
        })
        {
            Assert.Contains(expected, operationIds);
        }
    }
}
