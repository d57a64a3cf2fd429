namespace Dockyard.Server.Identity;

/// <summary>
/// How long a UI session lives on the server: ended after <see cref="Idle"/> without a request, or
/// <see cref="Absolute"/> after sign-in. Set from <c>Dockyard:Ui</c> (<c>UiOptions</c>) by the web UI, so the record
/// and the cookie expire alike.
/// </summary>
internal sealed class UiSessionLifetimeOptions
{
    public TimeSpan Idle { get; set; } = TimeSpan.FromHours(2);

    public TimeSpan Absolute { get; set; } = TimeSpan.FromHours(12);
}
