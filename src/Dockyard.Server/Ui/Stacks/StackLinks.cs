namespace Dockyard.Server.Ui.Stacks;

/// <summary>URLs of the stack pages, and which source links are safe to render as links.</summary>
internal static class StackLinks
{
    public const string List = "/stacks";

    public const string New = "/stacks/new";

    public static string Detail(string name) => "/stacks/" + Uri.EscapeDataString(name);

    public static string Edit(string name) => Detail(name) + "/edit";

    /// <summary>The events page filtered to the stack.</summary>
    public static string Events(string name) => "/events?stack=" + Uri.EscapeDataString(name);

    public static string Diff(string name, int from, int to) => $"{Detail(name)}/diff?from={from}&to={to}";

    /// <summary>
    /// The source URL as an href, or null: only absolute http, https and git URLs become links, so a stored
    /// <c>javascript:</c> or <c>data:</c> URL is shown as text and never runs.
    /// </summary>
    public static string? SafeHref(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == "git")
            ? uri.AbsoluteUri
            : null;
}
