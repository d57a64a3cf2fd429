namespace Dockyard.Server.Identity;

/// <summary>Why a UI session ended, as stored in <c>ui_sessions.end_reason</c>.</summary>
internal static class UiSessionEndReasons
{
    public const string SignedOut = "signed-out";
    public const string EndedByOwner = "ended-by-owner";
    public const string SignedOutEverywhere = "signed-out-everywhere";
    public const string PasswordChanged = "password-changed";
    public const string PasswordReset = "password-reset";
    public const string Deactivated = "deactivated";
    public const string Expired = "expired";
}
