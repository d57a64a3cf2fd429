using System.Buffers;
using Dockyard.Registry;
using Dockyard.Server.Data;

namespace Dockyard.Server.Backup;

/// <summary>
/// Writes files of a backup or a restore: private (0600 files, 0700 directories), through a temporary name and a
/// rename after fsync, so a copy that is present is complete. Blobs are hashed while copied and must match their digest.
/// </summary>
internal static class VerifiedCopy
{
    private const int BufferSize = 1 << 20;

    /// <summary>Copies <paramref name="source"/> to <paramref name="target"/>; throws when its size or digest differs from <paramref name="blob"/>.</summary>
    public static async Task<long> CopyBlobAsync(Stream source, string target, BackupBlob blob, CancellationToken cancellationToken)
    {
        var digest = Digest.Parse(blob.Digest);
        using var hasher = Digest.CreateHasher(digest.Algorithm);
        long written = 0;
        await WriteAtomicallyAsync(target, async output =>
        {
            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                int read;
                while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
                {
                    hasher.AppendData(buffer, 0, read);
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                    written += read;
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            var actual = Digest.FromHash(digest.Algorithm, hasher.GetHashAndReset());
            if (written != blob.Size || actual != digest)
            {
                throw new InvalidDataException($"blob {blob.Digest}: read {written} bytes hashing to {actual.Value}, expected {blob.Size} bytes (the stored blob is damaged; run dockyard fsck)");
            }
        }, cancellationToken);
        return written;
    }

    /// <summary>Copies a small or database file as it is.</summary>
    public static Task CopyFileAsync(string source, string target, CancellationToken cancellationToken) =>
        WriteAtomicallyAsync(target, async output =>
        {
            await using var input = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, BufferSize, useAsync: true);
            await input.CopyToAsync(output, BufferSize, cancellationToken);
        }, cancellationToken);

    /// <summary>Writes <paramref name="content"/> to <paramref name="target"/>.</summary>
    public static Task WriteAsync(string target, ReadOnlyMemory<byte> content, CancellationToken cancellationToken) =>
        WriteAtomicallyAsync(target, output => output.WriteAsync(content, cancellationToken).AsTask(), cancellationToken);

    private static async Task WriteAtomicallyAsync(string target, Func<FileStream, Task> write, CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(target)!;
        PrivateFiles.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
        try
        {
            await using (var output = new FileStream(temp, PrivateFiles.Options(FileMode.CreateNew, FileAccess.Write, FileShare.None)))
            {
                await write(output);
                await output.FlushAsync(cancellationToken);
                output.Flush(flushToDisk: true);
            }

            File.Move(temp, target, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
