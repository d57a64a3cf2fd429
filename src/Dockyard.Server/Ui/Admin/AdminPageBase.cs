using Dockyard.Server.Access;
using Dockyard.Server.Accounts;
using Dockyard.Server.Audit;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;

namespace Dockyard.Server.Ui.Admin;

/// <summary>
/// Base of the administration pages. Every page asks the same <see cref="AccessAuthorizer"/> the management API
/// asks, with the signed-in user's principal, to decide what to show; every form handler runs a service operation
/// that authorizes and records it for the user (a forged post meets the same check as the API, is refused with 403
/// and recorded as denied). Like the API, a
/// resource the caller may not even see answers 404; one they see but may not change answers 403.
/// </summary>
public abstract class AdminPageBase : UiPageBase
{
    [Inject]
    private protected AccessAuthorizer Authorizer { get; set; } = null!;

    [Inject]
    private protected OrganizationService Organizations { get; set; } = null!;

    [Inject]
    private protected UiFlash Flash { get; set; } = null!;

    private bool _doneRead;
    private string? _done;

    /// <summary>
    /// The notice code of the successful post that redirected here (<see cref="AdminNotice"/> shows its fixed text),
    /// from the flash the server set (<see cref="UiFlash"/>): read once, never from the URL, so a link cannot forge it.
    /// </summary>
    public string? Done
    {
        get
        {
            if (!_doneRead)
            {
                _done = Flash.Take(HttpContext)?.Code;
                _doneRead = true;
            }

            return _done;
        }
    }

    /// <summary>The success notice to show: none on a post (the flash is for the page the redirect leads to).</summary>
    protected string? Notice => IsPost ? null : Done;

    /// <summary>Set by <see cref="Forbid"/>: the page renders only the refusal.</summary>
    protected bool IsForbidden { get; private set; }

    /// <summary>The last form post's failure, shown next to the forms.</summary>
    private protected AdminOutcome? Failure { get; set; }

    protected override bool RequiresSignIn => true;

    /// <summary>The failure as shown: the field the service named, then its message.</summary>
    protected string? Error => Failure is { Message: { } message } failure ? (failure.Field is { } name ? $"{name}: {message}" : message) : null;

    /// <summary>True when this request is a form post.</summary>
    protected bool IsPost => HttpMethods.IsPost(HttpContext.Request.Method);

    /// <summary>Answers 403 and renders the refusal only.</summary>
    protected void Forbid()
    {
        IsForbidden = true;
        HttpContext.Response.StatusCode = StatusCodes.Status403Forbidden;
    }

    /// <summary>
    /// The organization, when the caller may see it (members, system administrators); otherwise marks the page
    /// not found. With <paramref name="manage"/>, a member who is not an owner gets 403.
    /// </summary>
    private protected async Task<OrganizationView?> OrganizationAsync(string name, bool manage)
    {
        var organization = await Organizations.FindAsync(name, Aborted);
        if (organization is null || !await Authorizer.CanViewOrganizationAsync(Principal, organization.Id, Aborted))
        {
            NotFound();
            return null;
        }

        if (manage && !await Authorizer.CanManageOrganizationAsync(Principal, organization.Id, Aborted))
        {
            Forbid();
            return null;
        }

        return OrganizationView.From(organization);
    }

    /// <summary>
    /// Runs a form action of a service that authorizes and audits itself (it takes the <see cref="Caller"/>): a
    /// refusal renders the refusal only with 403; success redirects (post / redirect / get) to
    /// <paramref name="redirect"/>; other errors stay on the page.
    /// </summary>
    private protected async Task SubmitAuditedAsync(Func<Caller, Task> operation, string? redirect)
    {
        Failure = await AdminActions.RunAuditedAsync(() => operation(Caller.Of(HttpContext)));
        if (Failure.Succeeded)
        {
            Failure = null;
            if (redirect is not null)
            {
                RedirectTo(redirect);
            }
        }
        else if (Failure.Denied)
        {
            Forbid();
        }
        else if (!HttpContext.Response.HasStarted)
        {
            // 400 even when the service found no such thing (a grant to "bobb"): the page exists and says why next to
            // the form. A 404 set by a component is sent without a body in static SSR (the framework leaves it to
            // not-found handling), which lost the reason and showed the browser's blank error page (issue #15, defect 3).
            HttpContext.Response.StatusCode = StatusCodes.Status400BadRequest;
        }
    }

    /// <summary>
    /// Post/redirect/get. A <c>done=&lt;code&gt;</c> in <paramref name="relativeUrl"/> (pages write their redirects that way)
    /// becomes the flash the next page shows and is left out of the URL the browser goes to.
    /// </summary>
    protected new void RedirectTo(string relativeUrl) => base.RedirectTo(MoveNoticeToFlash(relativeUrl));

    private string MoveNoticeToFlash(string url)
    {
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        var (target, fragment) = hash < 0 ? (url, string.Empty) : (url[..hash], url[hash..]);
        var question = target.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return url;
        }

        var query = QueryHelpers.ParseQuery(target[question..]);
        if (!query.Remove("done", out var done))
        {
            return url;
        }

        if (done.Count > 0 && done[0] is { Length: > 0 } code)
        {
            Flash.Set(HttpContext, code);
        }

        var rest = QueryString.Create(query.SelectMany(p => p.Value.Select(v => KeyValuePair.Create(p.Key, v))));
        return target[..question] + rest.ToUriComponent() + fragment;
    }

    /// <summary>A URL-safe path segment.</summary>
    protected static string Segment(string value) => Uri.EscapeDataString(value);
}
