using System.Runtime.InteropServices;

namespace Dockyard.Server.Backup;

/// <summary>The few account calls a restore needs: who runs it, who owns a path, a user's ids, and chown.</summary>
internal static partial class UnixAccounts
{
    private const int AtFdCwd = -100;
    private const uint StatxUid = 0x8;
    private const uint StatxGid = 0x10;

    /// <summary>The effective user id of this process.</summary>
    public static uint EffectiveUserId => geteuid();

    /// <summary>The effective group id of this process.</summary>
    public static uint EffectiveGroupId => getegid();

    /// <summary>The owner (uid, gid) of <paramref name="path"/>.</summary>
    public static (uint Uid, uint Gid) OwnerOf(string path)
    {
        // statx's buffer layout is the same on every architecture (stat's is not): uid at 20, gid at 24.
        Span<byte> buffer = stackalloc byte[256];
        if (statx(AtFdCwd, path, 0, StatxUid | StatxGid, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            throw new IOException($"Cannot read the owner of {path}: {Marshal.GetLastPInvokeErrorMessage()}");
        }

        return (MemoryMarshal.Read<uint>(buffer[20..]), MemoryMarshal.Read<uint>(buffer[24..]));
    }

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
    public static int ChownTree(string root, uint uid, uint gid)
    {
        var count = 0;
        Chown(root);
        if (Directory.Exists(root))
        {
            foreach (var path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }))
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

    [LibraryImport("libc", SetLastError = true)]
    private static partial uint geteuid();

    [LibraryImport("libc", SetLastError = true)]
    private static partial uint getegid();

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr getpwnam(string name);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int lchown(string path, uint owner, uint group);

    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int directoryFd, string path, int flags, uint mask, ref byte buffer);
}
