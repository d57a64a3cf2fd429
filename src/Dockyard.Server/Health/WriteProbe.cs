using Dockyard.Server.Data;

namespace Dockyard.Server.Health;

/// <summary>
/// Proves a directory takes writes: creates <c>.readyz</c> there (0600), writes a few bytes, fsyncs, deletes it. A
/// full disk, a read-only mount and a directory the server's account cannot write all fail here as an upload would.
/// </summary>
internal static class WriteProbe
{
    public const string FileName = ".readyz";

    private static readonly byte[] Content = "ready\n"u8.ToArray();

    public static ReadinessCheck Run(string name, string directory)
    {
        var path = Path.Combine(directory, FileName);
        try
        {
            using (var file = new FileStream(path, PrivateFiles.Options(FileMode.Create, FileAccess.Write, FileShare.None)))
            {
                file.Write(Content);
                file.Flush(flushToDisk: true);
            }

            return new ReadinessCheck(name, true, $"{directory} takes writes");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new ReadinessCheck(name, false, $"cannot write to {directory}: {ex.Message}");
        }
        finally
        {
            try
            {
                File.Delete(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Nothing to remove, or the directory refuses that too: the failure is already reported above.
            }
        }
    }
}
