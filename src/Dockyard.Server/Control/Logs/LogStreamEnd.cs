using System.Text.Json;

namespace Dockyard.Server.Control.Logs;

/// <summary>
/// The <c>event: end</c> of a log stream: <c>{"reason":"complete"}</c> (everything asked for was sent),
/// <c>{"reason":"stopped","state":"exited","exitCode":0}</c> (a followed container stopped),
/// <c>{"reason":"removed"}</c>, or <c>{"reason":"error","message":"…"}</c> (the engine stream broke).
/// </summary>
internal sealed record LogStreamEnd(string Reason, string? State = null, int? ExitCode = null, string? Message = null)
{
    public static readonly LogStreamEnd Complete = new("complete");

    public static readonly LogStreamEnd Removed = new("removed");

    public static LogStreamEnd Stopped(string state, int exitCode) => new("stopped", state, exitCode);

    public static LogStreamEnd Error(string message) => new("error", Message: message);

    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        json.WriteString("reason"u8, Reason);
        if (State is not null)
        {
            json.WriteString("state"u8, State);
        }

        if (ExitCode is { } exitCode)
        {
            json.WriteNumber("exitCode"u8, exitCode);
        }

        if (Message is not null)
        {
            json.WriteString("message"u8, Message);
        }

        json.WriteEndObject();
    }
}
