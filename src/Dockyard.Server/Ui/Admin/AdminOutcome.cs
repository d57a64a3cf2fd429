namespace Dockyard.Server.Ui.Admin;

/// <summary>
/// What an administration form post came to: success, or the message (and the form field it belongs to, when
/// the service named one) to show next to the form. <see cref="Status"/> is what the API would have answered.
/// </summary>
internal sealed record AdminOutcome(int Status, string? Field, string? Message)
{
    public static readonly AdminOutcome Success = new(StatusCodes.Status200OK, null, null);

    public bool Succeeded => Status is >= 200 and < 300;

    public bool Denied => Status is StatusCodes.Status401Unauthorized or StatusCodes.Status403Forbidden;
}
