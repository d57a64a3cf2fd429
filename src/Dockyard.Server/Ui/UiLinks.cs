namespace Dockyard.Server.Ui;

/// <summary>
/// The UI's URLs, built in one place. A repository name has slashes, so pages below a repository are separated by
/// <c>/-/</c> (which no repository name can contain).
/// </summary>
internal static class UiLinks
{
    public const string Repositories = "/repositories";

    public const string Separator = "/-/";

    public static string Repository(string name) => $"{Repositories}/{Escape(name)}";

    /// <summary>An image (manifest) by tag or digest.</summary>
    public static string Image(string repository, string reference) => $"{Repository(repository)}{Separator}manifests/{Uri.EscapeDataString(reference)}";

    /// <summary>A repository's settings (visibility, description, permissions; its administrators).</summary>
    public static string RepositorySettings(string name) => $"{Repository(name)}{Separator}settings";

    /// <summary>A repository's webhooks, or with <paramref name="id"/> one webhook's deliveries.</summary>
    public static string RepositoryWebhooks(string name, long? id = null) =>
        $"{Repository(name)}{Separator}webhooks" + (id is { } webhook ? "/" + webhook.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty);

    /// <summary>Escapes each path segment of a repository name, keeping the slashes.</summary>
    private static string Escape(string name) => string.Join('/', name.Split('/').Select(Uri.EscapeDataString));
}
