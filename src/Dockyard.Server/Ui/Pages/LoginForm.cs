namespace Dockyard.Server.Ui.Pages;

/// <summary>The sign-in form's fields.</summary>
internal sealed class LoginForm
{
    public string? Username { get; set; }

    public string? Password { get; set; }

    public string? ReturnUrl { get; set; }
}
