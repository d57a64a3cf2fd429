using System.Text.Json;
using Dockyard.Server.Api;
using Dockyard.Server.Audit;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Ui.Admin;

/// <summary>
/// Runs a state-changing administration action from a web UI form. Services that authorize and audit themselves
/// (<see cref="AuditedOperations"/>: users, passwords, access tokens, organizations, teams, service accounts) run through <see cref="RunAuditedAsync"/>,
/// which only turns their errors into form outcomes. For the areas not migrated yet, <see cref="RunAsync(HttpContext, string, string, Func{Task}, string?)"/>
/// records the action in the audit trail exactly as
/// the management API records the same action (same action name, same resource path, same outcome rules;
/// <see cref="ManagementAuditFilter.RecordAsync(HttpContext, string, string, int, string?, string?)"/>).
/// Authorization is the caller's job, through the same authorizer checks the API makes; a refusal is recorded with
/// <see cref="DenyAsync"/>. Service errors (<see cref="DomainException"/>) become form messages.
/// </summary>
internal static class AdminActions
{
    /// <summary>
    /// Runs an operation of a service that authorizes and records it itself: its account errors become the outcome
    /// (a refusal is 403), nothing is recorded here.
    /// </summary>
    public static async Task<AdminOutcome> RunAuditedAsync(Func<Task> operation)
    {
        try
        {
            await operation();
            return AdminOutcome.Success;
        }
        catch (DomainException error)
        {
            return new AdminOutcome(ApiResults.StatusOf(error.Kind), error.Field, error.Message);
        }
    }

    /// <summary>Runs <paramref name="operation"/>; its account errors become a failed outcome, anything else is recorded and rethrown.</summary>
    public static Task<AdminOutcome> RunAsync(HttpContext context, string action, string resource, Func<Task> operation, string? details = null) =>
        RunAsync(context, action, () => resource, operation, details);

    /// <summary>
    /// As above, with the resource read after the operation: a created object's path carries the id it got (as the
    /// API records its <c>Location</c>).
    /// </summary>
    public static async Task<AdminOutcome> RunAsync(HttpContext context, string action, Func<string> resource, Func<Task> operation, string? details = null)
    {
        AdminOutcome outcome;
        try
        {
            await operation();
            outcome = AdminOutcome.Success;
        }
        catch (DomainException error)
        {
            outcome = new AdminOutcome(ApiResults.StatusOf(error.Kind), error.Field, error.Message);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            await ManagementAuditFilter.RecordAsync(context, action, resource(), StatusCodes.Status500InternalServerError, error.GetType().Name, details);
            throw;
        }

        await ManagementAuditFilter.RecordAsync(context, action, resource(), outcome.Status, outcome.Message, details);
        return outcome;
    }

    /// <summary>Records a refused attempt (403) and sets the response status, so a forged post is both refused and on the record.</summary>
    public static async Task<AdminOutcome> DenyAsync(HttpContext context, string action, string resource, string reason)
    {
        await ManagementAuditFilter.RecordAsync(context, action, resource, StatusCodes.Status403Forbidden, reason, details: null);
        if (!context.Response.HasStarted)
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
        }

        return new AdminOutcome(StatusCodes.Status403Forbidden, null, reason);
    }

    /// <summary>
    /// The audit details of a form: the given non-null fields as a camelCase JSON object, like the API's allow-list
    /// (callers pass only non-secret fields).
    /// </summary>
    public static string? Details(params (string Name, object? Value)[] fields)
    {
        var present = fields.Where(f => f.Value is not null).ToDictionary(f => f.Name, f => f.Value);
        return present.Count == 0 ? null : JsonSerializer.Serialize(present, AuditEntryResponse.JsonOptions);
    }
}
