using Dockyard.Server.Access;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Api;

/// <summary>
/// <c>/api/v1/users</c>: system administrators list, create, change, deactivate and delete users and reset
/// passwords; a user may read and edit their own profile. Other users' records are 404 to non-administrators.
/// Changes are authorized and audited by <see cref="UserService"/> (its refusals arrive as <see cref="DomainException"/>);
/// only the reads are authorized here.
/// </summary>
internal static class UserEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users")
            .AddEndpointFilter(ApiResults.RequireAuthenticatedToReadAsync);
        users.MapGet("/", ListAsync).WithName("ListUsers").WithSummary("List all users (system administrators).");
        users.MapPost("/", CreateAsync).WithName("CreateUser").WithSummary("Create a local user (system administrators).");
        users.MapGet("/{name}", GetAsync).WithName("GetUser").WithSummary("Get a user (the user themself or a system administrator).");
        users.MapPatch("/{name}", UpdateAsync).WithName("UpdateUser").WithSummary("Change email and display name (self or administrator), administrator flag and active state (administrators).");
        users.MapDelete("/{name}", DeleteAsync).WithName("DeleteUser").WithSummary("Delete a user with their memberships, grants and tokens (system administrators).");
        users.MapPost("/{name}/password", ResetPasswordAsync).WithName("ResetUserPassword").WithSummary("Set or generate a new password for a local user (system administrators).");
        users.MapPost("/{name}/unlock", UnlockAsync).WithName("UnlockUser").WithSummary("Forget a user's failed sign-ins from every address, lifting locks and delays (system administrators).");
    }

    private static async Task<IResult> ListAsync(HttpContext context, AccessAuthorizer authorizer, UserService users, CancellationToken cancellationToken)
    {
        if (!await authorizer.IsSystemAdministratorAsync(context.GetPrincipal(), cancellationToken))
        {
            return ApiPrincipal.Forbidden("Only system administrators may list users.");
        }

        return Results.Ok((await users.ListAsync(cancellationToken)).Select(u => UserResponse.From(UserView.From(u))));
    }

    private static async Task<IResult> CreateAsync(CreateUserRequest request, HttpContext context, UserService users, CancellationToken cancellationToken)
    {
        var user = await users.CreateLocalAsync(Caller.Of(context), new NewUser(request.Username ?? string.Empty, request.Password ?? string.Empty, request.Email, request.DisplayName, request.IsAdmin), cancellationToken);
        return Results.Created($"{ManagementApi.Prefix}/users/{user.Username}", UserResponse.From(UserView.From(user)));
    }

    private static async Task<IResult> GetAsync(string name, HttpContext context, AccessAuthorizer authorizer, UserService users, CancellationToken cancellationToken)
    {
        var (user, denied) = await VisibleUserAsync(context, name, authorizer, users, cancellationToken);
        return denied ?? Results.Ok(UserResponse.From(user!));
    }

    private static async Task<IResult> UpdateAsync(string name, UpdateUserRequest request, HttpContext context, UserService users, CancellationToken cancellationToken) =>
        Results.Ok(UserResponse.From(UserView.From(await users.UpdateAsync(Caller.Of(context), name, request.Email, request.DisplayName, request.IsAdmin, request.IsActive, cancellationToken))));

    private static async Task<IResult> DeleteAsync(string name, HttpContext context, UserService users, CancellationToken cancellationToken)
    {
        await users.DeleteAsync(Caller.Of(context), name, cancellationToken);
        return Results.NoContent();
    }

    private static async Task<IResult> ResetPasswordAsync(string name, ResetPasswordRequest? request, HttpContext context, UserService users, CancellationToken cancellationToken)
    {
        var password = await users.ResetPasswordAsync(Caller.Of(context), name, request?.Password, cancellationToken);
        return Results.Ok(new ResetPasswordResponse(request?.Password is null ? password : null));
    }

    private static async Task<IResult> UnlockAsync(string name, HttpContext context, UserService users, CancellationToken cancellationToken)
    {
        await users.UnlockAsync(Caller.Of(context), name, cancellationToken);
        return Results.NoContent();
    }

    /// <summary>The user, when the caller is a system administrator or that user; otherwise 404.</summary>
    private static async Task<(UserView? User, IResult? Denied)> VisibleUserAsync(HttpContext context, string name, AccessAuthorizer authorizer, UserService users, CancellationToken cancellationToken)
    {
        var principal = context.GetPrincipal();
        var user = await users.FindAsync(name, cancellationToken);
        var self = user is not null && principal.Kind == PrincipalKind.User && principal.UserId == user.Id;
        if (user is null || (!self && !await authorizer.IsSystemAdministratorAsync(principal, cancellationToken)))
        {
            return (null, ApiResults.NotFound($"User '{name}' not found."));
        }

        return (UserView.From(user), null);
    }

    internal sealed record CreateUserRequest(string? Username, string? Password, string? Email, string? DisplayName, bool IsAdmin);

    internal sealed record UpdateUserRequest(string? Email, string? DisplayName, bool? IsAdmin, bool? IsActive);

    internal sealed record ResetPasswordRequest(string? Password);

    /// <summary><see cref="Password"/> is set only when the server generated it; it is shown this once.</summary>
    internal sealed record ResetPasswordResponse(string? Password);

    internal sealed record UserResponse(string Username, string? Email, string? DisplayName, string Source, bool IsAdmin, bool IsActive, DateTimeOffset CreatedAt, DateTimeOffset? LastLoginAt)
    {
        public static UserResponse From(UserView user) =>
            new(user.Username, user.Email, user.DisplayName, user.Source.ToString().ToLowerInvariant(), user.IsAdmin, user.IsActive, user.CreatedAt, user.LastLoginAt);
    }
}
