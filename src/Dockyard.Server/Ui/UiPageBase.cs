using Dockyard.Server.Access;
using Dockyard.Server.Ui.Auth;
using Microsoft.AspNetCore.Components;

namespace Dockyard.Server.Ui;

/// <summary>
/// Base of every UI page: reads the caller (<see cref="Principal"/>, resolved live by the authentication handler), sends anonymous
/// callers to sign-in when the page needs a user, and offers the small helpers pages share (not found, redirects,
/// acting as the user toward the registry). Pages render on the server once per request (static SSR), so
/// everything here runs inside one HTTP request. Components must be public for Razor, so members that expose
/// internal types are <c>private protected</c>.
/// </summary>
public abstract class UiPageBase : ComponentBase
{
    [CascadingParameter]
    public HttpContext HttpContext { get; set; } = null!;

    [Inject]
    private protected UiSession Session { get; set; } = null!;

    [Inject]
    private protected NavigationManager Navigation { get; set; } = null!;

    /// <summary>The caller, resolved before <see cref="OnPageInitializedAsync"/> runs.</summary>
    private protected Principal Principal { get; private set; } = Principal.Anonymous;

    /// <summary>Cancelled when the client goes away.</summary>
    protected CancellationToken Aborted => HttpContext.RequestAborted;

    /// <summary>True for pages only signed-in users may see; anonymous callers are sent to the sign-in page.</summary>
    protected virtual bool RequiresSignIn => false;

    /// <summary>The registry's host[:port] for commands shown to users (<c>docker login</c>, <c>docker pull</c>): the public URL's, not the request's Host.</summary>
    protected string RegistryAddress =>
        HttpContext.RequestServices.GetRequiredService<Addressing.PublicUrl>().Authority ?? HttpContext.Request.Host.Value ?? string.Empty;

    /// <summary>Set by <see cref="NotFound"/>: the page should render its "not found" message only.</summary>
    protected bool IsNotFound { get; private set; }

    protected sealed override async Task OnInitializedAsync()
    {
        HttpContext.ThrowIfAuthenticationFailed();
        Principal = HttpContext.GetPrincipal();
        if (RequiresSignIn && !Principal.IsAuthenticated)
        {
            RedirectToLogin();
            return;
        }

        await OnPageInitializedAsync();
    }

    /// <summary>Loads the page's data; the caller is known by now.</summary>
    protected virtual Task OnPageInitializedAsync() => Task.CompletedTask;

    /// <summary>Answers 404: the same for "does not exist" and "you may not see it", so existence does not leak.</summary>
    protected void NotFound()
    {
        IsNotFound = true;
        Navigation.NotFound();
    }

    /// <summary>Sends the caller to sign in, coming back here afterwards.</summary>
    protected void RedirectToLogin()
    {
        var here = "/" + Navigation.ToBaseRelativePath(Navigation.Uri);
        Navigation.NavigateTo("/login?returnUrl=" + Uri.EscapeDataString(here));
    }

    /// <summary>Post/redirect/get: after a successful form post, reload with a GET so a refresh does not repeat it.</summary>
    protected void RedirectTo(string relativeUrl) => Navigation.NavigateTo(relativeUrl);
}
