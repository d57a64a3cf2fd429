using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Options;

namespace Dockyard.Server.Ui;

/// <summary>
/// Post/redirect/get notices ("Saved.", "Tag latest deleted."): the form handler that succeeded sets a notice code
/// (and, for some, the name it acted on) just before redirecting; the page it redirects to shows it once. It travels in
/// a short-lived, HttpOnly, SameSite=Strict cookie sealed with data protection, read once and cleared, so neither a
/// link nor another site can put words on a page (a URL-carried <c>?deleted=latest</c> could).
/// </summary>
internal sealed class UiFlash(IDataProtectionProvider protection, TimeProvider time, IOptions<UiOptions> options)
{
    public const string CookieName = "dockyard_flash";

    /// <summary>Long enough for the redirect that follows; a flash never read is gone soon after.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    private static readonly object TakenKey = new();

    private readonly IDataProtector _protector = protection.CreateProtector("Dockyard.Ui.Flash.v1");

    /// <summary>Sets the notice the next page shows; call before the redirect, while headers can still be set.</summary>
    public void Set(HttpContext context, string code, string? argument = null)
    {
        var expires = time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var value = _protector.Protect(string.Join('\n', expires, code, argument ?? string.Empty));
        context.Response.Cookies.Append(CookieName, value, Options(context, Lifetime));
    }

    /// <summary>
    /// The notice set by the previous response, if any, and clears it (once per request: every component of the page
    /// sees the same one). Only GETs read it: a post's page never shows a notice left over from its own page load.
    /// </summary>
    public UiNotice? Take(HttpContext context)
    {
        if (context.Items.TryGetValue(TakenKey, out var taken))
        {
            return taken as UiNotice;
        }

        if (!HttpMethods.IsGet(context.Request.Method) || context.Request.Cookies[CookieName] is not { Length: > 0 } value)
        {
            return null;
        }

        var notice = Read(value);
        context.Items[TakenKey] = notice;
        if (!context.Response.HasStarted)
        {
            context.Response.Cookies.Delete(CookieName, Options(context, null));
        }

        return notice;
    }

    private UiNotice? Read(string value)
    {
        string text;
        try
        {
            text = _protector.Unprotect(value);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return null; // forged, or sealed with a key this server no longer has
        }

        var parts = text.Split('\n', 3);
        return parts.Length == 3
               && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
               && time.GetUtcNow().ToUnixTimeSeconds() <= expires
            ? new UiNotice(parts[1], parts[2].Length == 0 ? null : parts[2])
            : null;
    }

    private CookieOptions Options(HttpContext context, TimeSpan? maxAge) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Secure = options.Value.RequireSecureCookie || context.Request.IsHttps,
        Path = "/",
        IsEssential = true,
        MaxAge = maxAge,
    };
}
