using System.Runtime.CompilerServices;
using System.Text.Json;
using Dockyard.Control.Engines;

namespace Dockyard.Control.Images;

/// <summary>
/// Reads a pull's progress stream: one JSON object per line (<c>\r\n</c>-terminated), as the engine flushes them.
/// A message carrying <c>error</c>/<c>errorDetail</c> ends the pull with an <see cref="EngineApiException"/> even
/// though the HTTP status was 200.
/// </summary>
internal static class ImagePullStream
{
    /// <summary>
    /// Progress lines are a few hundred bytes; a longer one is refused. (The line is read whole first: the engine is
    /// trusted not to send an endless line.)
    /// </summary>
    private const int MaxLineLength = 64 * 1024;

    public static async IAsyncEnumerable<ImagePullProgress> ReadAsync(
        Stream body, string engine, int status, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(body, leaveOpen: true);
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken);
            }
            catch (IOException ex)
            {
                throw new EngineApiException(engine, EngineErrorKind.Unavailable, status, "pull stream broke: " + ex.Message, ex);
            }

            if (line is null)
            {
                yield break;
            }

            if (line.Length > MaxLineLength)
            {
                throw new EngineApiException(engine, EngineErrorKind.Failed, status, $"pull progress line longer than {MaxLineLength} characters");
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var progress = Parse(line, engine, status);
            if (progress.FailureMessage is { } failure)
            {
                throw new EngineApiException(engine, EngineErrorKind.Failed, status, failure);
            }

            yield return progress;
        }
    }

    private static ImagePullProgress Parse(string line, string engine, int status)
    {
        try
        {
            return JsonSerializer.Deserialize(line, ImageJsonContext.Default.ImagePullProgress)
                ?? throw new EngineApiException(engine, EngineErrorKind.Failed, status, "pull progress line was null");
        }
        catch (JsonException ex)
        {
            throw new EngineApiException(engine, EngineErrorKind.Failed, status, "pull progress line could not be read: " + ex.Message, ex);
        }
    }
}
