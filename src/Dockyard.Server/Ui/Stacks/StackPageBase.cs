using Dockyard.Control.Engines;
using Dockyard.Server.Audit;
using Dockyard.Server.Control;
using Dockyard.Server.Ui.Admin;

namespace Dockyard.Server.Ui.Stacks;

/// <summary>
/// Base of the stack pages. Their forms call the stack service, which authorizes and audits each operation; a refusal
/// (or any other failure) is shown above the page with the status the API would answer — the page stays, so a
/// refused button never ends on a bare 403 page.
/// </summary>
public abstract class StackPageBase : AdminPageBase
{
    /// <summary>The success notice for <c>?done=…</c>: fixed texts by code, so a link cannot put words on the page.</summary>
    protected string? DoneText => Notice switch
    {
        "deployed" => "Stack deployed.",
        "updated" => "New revision deployed.",
        "scaled" => "Service scaled.",
        "rolled-back" => "Rolled back.",
        "service-rolled-back" => "Service rolled back to its previous spec.",
        "redeployed" => "Redeployed with the latest images.",
        "redeploy-unchanged" => "Every service already runs the latest digest of its tag: nothing to redeploy.",
        "adopted" => "Stack adopted: Dockyard manages it from now on.",
        "removed" => "Stack removed.",
        _ => null,
    };

    /// <summary>
    /// Runs a stack operation for the signed-in user; on success redirects (post / redirect / get) to
    /// <paramref name="redirect"/>, otherwise keeps the page and shows the failure.
    /// </summary>
    private protected async Task<bool> RunAsync(Func<Caller, Task> operation, string? redirect)
    {
        Failure = await AdminActions.RunAuditedAsync(async () =>
        {
            try
            {
                await operation(Caller.Of(HttpContext));
            }
            catch (EngineApiException error)
            {
                throw EngineErrors.ToDomain(error);
            }
        });
        if (Failure.Succeeded)
        {
            Failure = null;
            if (redirect is not null)
            {
                RedirectTo(redirect);
            }

            return true;
        }

        if (!HttpContext.Response.HasStarted)
        {
            HttpContext.Response.StatusCode = Failure.Status;
        }

        return false;
    }
}
