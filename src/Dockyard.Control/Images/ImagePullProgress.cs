using System.Text.Json.Serialization;

namespace Dockyard.Control.Images;

/// <summary>
/// One JSON message of a pull's progress stream (<c>{"status":"Downloading","id":"…","progressDetail":{…}}</c>).
/// A message with <see cref="Error"/> or <see cref="ErrorDetail"/> means the pull failed although the HTTP
/// status was 200; <see cref="ImageClient"/> turns it into an exception and never yields it.
/// </summary>
public sealed record ImagePullProgress
{
    public string? Status { get; init; }

    /// <summary>The layer id the message is about, or the tag for the summary lines.</summary>
    public string? Id { get; init; }

    /// <summary>Pre-rendered progress bar text.</summary>
    public string? Progress { get; init; }

    public ImagePullProgressDetail? ProgressDetail { get; init; }

    public string? Error { get; init; }

    public ImagePullErrorDetail? ErrorDetail { get; init; }

    /// <summary>The failure text of an error message, or null when the message is not an error.</summary>
    [JsonIgnore]
    public string? FailureMessage =>
        !string.IsNullOrWhiteSpace(ErrorDetail?.Message) ? ErrorDetail.Message.Trim()
        : !string.IsNullOrWhiteSpace(Error) ? Error.Trim()
        : ErrorDetail is not null || Error is not null ? "pull failed (the engine gave no message)"
        : null;
}
