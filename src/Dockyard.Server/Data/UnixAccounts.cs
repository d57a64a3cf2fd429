using System.Globalization;
using System.Runtime.InteropServices;

namespace Dockyard.Server.Data;

/// <summary>
/// Who owns a file and whether this process may write it, for messages that name accounts ("owned by dockyard:dockyard,
/// mode 0700"). .NET exposes file modes but not owners, so this asks libc: <c>statx</c> (its buffer layout is the same
/// on every architecture), <c>getpwuid</c>/<c>getgrgid</c> for names, <c>access</c> for the kernel's own answer
/// (which also says no on a read-only mount, even to root); and the few calls a restore needs (a user's ids, chown).
/// Linux only, like the rest of Dockyard's file handling (callers on other systems skip the checks).
/// </summary>
internal static partial class UnixAccounts
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
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
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

    /// <summary>The effective user id of this process.</summary>
    public static uint EffectiveUserId => geteuid();

    /// <summary>The effective group id of this process.</summary>
    public static uint EffectiveGroupId => getegid();

    /// <summary>The owner (uid, gid) of <paramref name="path"/>.</summary>
    /// <exception cref="IOException">The path cannot be examined.</exception>
    public static (uint Uid, uint Gid) OwnerOf(string path) =>
        Stat(path) ?? throw new IOException($"Cannot read the owner of {path}: {Marshal.GetLastPInvokeErrorMessage()}");

    /// <summary>Resolves <c>NAME</c>, <c>UID</c> or <c>UID:GID</c> to ids (a name takes its primary group).</summary>
    public static (uint Uid, uint Gid) Resolve(string owner)
    {
        var parts = owner.Split(':', 2);
        if (uint.TryParse(parts[0], out var uid))
        {
            return (uid, parts.Length == 2 && uint.TryParse(parts[1], out var gid) ? gid : uid);
        }

        var entry = getpwnam(parts[0]);
        if (entry == IntPtr.Zero)
        {
            throw new InvalidOperationException($"There is no user named '{parts[0]}' on this host.");
        }

        // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; … }
        var ids = (Uid: (uint)Marshal.ReadInt32(entry, 2 * IntPtr.Size), Gid: (uint)Marshal.ReadInt32(entry, (2 * IntPtr.Size) + 4));
        return parts.Length == 2 && uint.TryParse(parts[1], out var group) ? (ids.Uid, group) : ids;
    }

    /// <summary>Gives <paramref name="root"/> and everything under it to <paramref name="uid"/>:<paramref name="gid"/> (symbolic links are not followed).</summary>
    /// <returns>How many entries were changed.</returns>
    public static int ChownTree(string root, uint uid, uint gid)
    {
        var count = 0;
        Chown(root);
        if (Directory.Exists(root))
        {
            // The SearchOption form lists hidden entries too (the data directory has some: .readyz, …).
            foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
            {
                Chown(path);
            }
        }

        return count;

        void Chown(string path)
        {
            if (lchown(path, uid, gid) != 0)
            {
                throw new IOException($"Cannot give {path} to {uid}:{gid}: {Marshal.GetLastPInvokeErrorMessage()}");
            }

            count++;
        }
    }

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

    [LibraryImport("libc", SetLastError = true)]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true)]
    private static partial uint getegid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getpwnam(string name);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lchown(string path, uint owner, uint group);
}
