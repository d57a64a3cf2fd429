using Dockyard.Server.Api;
using Dockyard.Server.Audit;
using Dockyard.Server.Errors;

namespace Dockyard.Server.Ui.Admin;

/// <summary>
/// Runs a state-changing administration action from a web UI form. Every such action is an operation of a service
/// that authorizes and records it itself (<see cref="AuditedOperations"/>), whoever calls; this only turns its
/// errors (<see cref="DomainException"/>) into form outcomes.
/// </summary>
internal static class AdminActions
{
    /// <summary>
    /// Runs an operation of a service that authorizes and records it itself: its errors become the outcome (a refusal
    /// is 403, or 401 for an anonymous caller), nothing is recorded here.
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
}
