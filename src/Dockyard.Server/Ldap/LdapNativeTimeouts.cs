using System.DirectoryServices.Protocols;
using System.Runtime.InteropServices;

namespace Dockyard.Server.Ldap;

/// <summary>
/// Gives libldap its own connect (<c>LDAP_OPT_NETWORK_TIMEOUT</c>) and synchronous-call (<c>LDAP_OPT_TIMEOUT</c>)
/// time limits. System.DirectoryServices.Protocols binds and runs StartTLS with libldap's synchronous calls and
/// exposes neither option on Linux, so a server that accepts the connection and then stays silent would hold the
/// calling thread forever. The options are set as libldap's global defaults, which <c>ldap_initialize</c> copies
/// into each new handle; <see cref="CreateConnection"/> serializes "set the defaults, create the handle", so each
/// connection gets the time limit of its own settings. The library is looked up under the names the client library
/// tries, so the defaults land in the instance it uses. Elsewhere (Windows) nothing is set: the managed deadline of
/// <see cref="LdapDirectoryRunner"/> still answers the caller.
/// </summary>
internal static class LdapNativeTimeouts
{
    private const int LdapOptTimeout = 0x5002;
    private const int LdapOptNetworkTimeout = 0x5005;

    private static readonly TimeSpan NativeMargin = TimeSpan.FromSeconds(1);
    private static readonly Lock Gate = new();
    private static readonly SetTimevalOption? SetOption = Load();
    private static bool _initialized;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int SetTimevalOption(IntPtr ld, int option, ref Timeval value);

    /// <summary>Whether the native time limits are in force (libldap found).</summary>
    public static bool Available => SetOption is not null;

    /// <summary>A new connection whose connect, bind and StartTLS are limited to <paramref name="timeout"/> by libldap itself.</summary>
    public static LdapConnection CreateConnection(LdapDirectoryIdentifier identifier, TimeSpan timeout)
    {
        lock (Gate)
        {
            if (SetOption is null)
            {
                return new LdapConnection(identifier);
            }

            if (!_initialized)
            {
                // The client library initializes libldap (once, single-threaded) when it creates its first handle;
                // setting global options before that would initialize it here instead.
                new LdapConnection(identifier).Dispose();
                _initialized = true;
            }

            // A second longer than the caller's deadline (LdapDirectoryRunner), so that deadline always fires first and
            // the caller is told "did not answer within N s"; libldap's own limit then frees the dedicated thread.
            var ticks = Math.Max(timeout.Ticks, TimeSpan.TicksPerMillisecond) + NativeMargin.Ticks;
            var value = new Timeval
            {
                Seconds = (nint)(ticks / TimeSpan.TicksPerSecond),
                Microseconds = (nint)(ticks % TimeSpan.TicksPerSecond / TimeSpan.TicksPerMicrosecond),
            };
            SetOption(IntPtr.Zero, LdapOptNetworkTimeout, ref value);
            SetOption(IntPtr.Zero, LdapOptTimeout, ref value);
            return new LdapConnection(identifier);
        }
    }

    private static SetTimevalOption? Load()
    {
        if (!OperatingSystem.IsLinux() || IntPtr.Size != 8)
        {
            return null;
        }

        foreach (var name in new[] { "libldap.so.2", "libldap-2.6.so.0", "libldap-2.5.so.0", "libldap-2.4.so.2" })
        {
            if (NativeLibrary.TryLoad(name, out var library) && NativeLibrary.TryGetExport(library, "ldap_set_option", out var function))
            {
                return Marshal.GetDelegateForFunctionPointer<SetTimevalOption>(function);
            }
        }

        return null;
    }

    /// <summary><c>struct timeval</c> on 64-bit Linux: two longs.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Timeval
    {
        public nint Seconds;
        public nint Microseconds;
    }
}
