using System.Globalization;
using System.Runtime.InteropServices;

namespace Dockyard.Server.Data;

/// <summary>
/// Who owns a file and whether this process may write it, for messages that name accounts ("owned by dockyard:dockyard,
/// mode 0700"). .NET exposes file modes but not owners, so this asks libc: <c>statx</c> (its buffer layout is the same
/// on every architecture), <c>getpwuid</c>/<c>getgrgid</c> for names, <c>access</c> for the kernel's own answer
/// (which also says no on a read-only mount, even to root).
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
internal static class UnixAccounts
{
    private const int AtCurrentDirectory = -100;
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxUidOffset = 20;
    private const int StatxGidOffset = 24;
    private const int StatxBufferSize = 256;
    private const int WriteAccess = 2;
    private const int ExecuteAccess = 1;
    private const int ReadAccess = 4;

    /// <summary>The owner's user id of <paramref name="path"/>, or null when it cannot be examined.</summary>
    public static uint? OwnerId(string path) => Stat(path) is { } stat ? stat.Uid : null;

    /// <summary>"owned by USER:GROUP, mode 0700", or "which cannot be examined".</summary>
    public static string Describe(string path)
    {
        if (Stat(path) is not { } stat)
        {
            return "which cannot be examined";
        }

        var mode = Convert.ToString((int)File.GetUnixFileMode(path), 8).PadLeft(4, '0');
        return $"owned by {UserName(stat.Uid)}:{GroupName(stat.Gid)}, mode {mode}";
    }

    /// <summary>The account's name, or its number when it has none.</summary>
    public static string UserName(uint uid) => NameAt(GetPasswordEntry(uid)) ?? uid.ToString(CultureInfo.InvariantCulture);

    /// <summary>The name of the account this process runs as.</summary>
    public static string CurrentUserName() => Environment.UserName;

    /// <summary>Whether this process may create and remove entries in <paramref name="directory"/>.</summary>
    public static bool CanWriteDirectory(string directory) => Access(directory, WriteAccess | ExecuteAccess) == 0;

    /// <summary>Whether this process may list and enter <paramref name="directory"/>.</summary>
    public static bool CanReadDirectory(string directory) => Access(directory, ReadAccess | ExecuteAccess) == 0;

    /// <summary>Whether this process may write <paramref name="file"/>.</summary>
    public static bool CanWriteFile(string file) => Access(file, WriteAccess) == 0;

    private static string GroupName(uint gid) => NameAt(GetGroupEntry(gid)) ?? gid.ToString(CultureInfo.InvariantCulture);

    // Both passwd and group structures start with the name pointer.
    private static string? NameAt(IntPtr entry) => entry == IntPtr.Zero ? null : Marshal.PtrToStringUTF8(Marshal.ReadIntPtr(entry));

    private static (uint Uid, uint Gid)? Stat(string path)
    {
        var buffer = new byte[StatxBufferSize];
        if (Statx(AtCurrentDirectory, path, 0, StatxBasicStats, buffer) != 0)
        {
            return null;
        }

        return (BitConverter.ToUInt32(buffer, StatxUidOffset), BitConverter.ToUInt32(buffer, StatxGidOffset));
    }

#pragma warning disable SYSLIB1054 // LibraryImport needs unsafe code in this project; these take strings, integers and a byte buffer.
    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, [Out] byte[] buffer);

    [DllImport("libc", EntryPoint = "access", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Access([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int mode);

    [DllImport("libc", EntryPoint = "getpwuid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern IntPtr GetPasswordEntry(uint uid);

    [DllImport("libc", EntryPoint = "getgrgid")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern IntPtr GetGroupEntry(uint gid);
#pragma warning restore SYSLIB1054
}
