using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Dockyard.Server.Audit;

/// <summary>
/// A file opened with <c>O_APPEND</c>: every write lands at the file's current end, whoever else changed it meanwhile.
/// .NET's <see cref="FileMode.Append"/> only seeks to the end once and then writes at its own position, so after a
/// <c>copytruncate</c> rotation its next write recreated the old length as a hole of NUL bytes.
/// </summary>
internal static partial class AppendOnlyFile
{
    // Linux values (the same on x64 and arm64): O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC.
    private const int Flags = 0x1 | 0x40 | 0x400 | 0x80000;
    private const int Mode = 0x180; // 0600

    /// <summary>Opens (creating it 0600) <paramref name="path"/> for appending.</summary>
    /// <exception cref="IOException">It cannot be opened.</exception>
    public static SafeFileHandle Open(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            // Elsewhere the managed append (seek to the end, then write at our position) is the best there is.
            return File.OpenHandle(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        }

        var fd = OpenNative(path, Flags, Mode);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw errno == 13
                ? new UnauthorizedAccessException($"Access to '{path}' is denied.")
                : new IOException($"Cannot open '{path}' for appending (errno {errno}).");
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>
    /// Appends <paramref name="bytes"/>. With <c>O_APPEND</c> Linux ignores the offset of <c>pwrite</c> and appends
    /// (pwrite(2), BUGS), so the position passed here does not matter there.
    /// </summary>
    public static void Append(SafeFileHandle file, ReadOnlySpan<byte> bytes) =>
        RandomAccess.Write(file, bytes, OperatingSystem.IsLinux() ? 0 : RandomAccess.GetLength(file));

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int OpenNative(string path, int flags, int mode);
}
