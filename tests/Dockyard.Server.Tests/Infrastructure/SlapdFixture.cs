using System.Diagnostics;
using System.Globalization;

namespace Dockyard.Server.Tests.Infrastructure;

/// <summary>
/// A private OpenLDAP slapd on a free loopback port, with its own slapd.conf and databases in a temp directory
/// (never the system service or /etc/ldap/slapd.d). Two suffixes: an OpenLDAP-style directory
/// (<see cref="OpenLdapBase"/>: inetOrgPerson users, groupOfNames groups) and an Active-Directory-shaped one
/// (<see cref="AdBase"/>: users with <c>sAMAccountName</c> from a small custom schema). Both run the memberof and
/// refint overlays, so users carry AD-style <c>memberOf</c> and deleting a user removes it from its groups. Entries
/// are loaded with ldapadd after start (slapadd would bypass the overlays). Meant as a collection fixture.
/// </summary>
public sealed class SlapdFixture : IAsyncLifetime
{
    public const string OpenLdapBase = "dc=example,dc=org";
    public const string AdBase = "dc=corp,dc=example,dc=com";
    public const string PeopleDn = "ou=people," + OpenLdapBase;
    public const string GroupsDn = "ou=groups," + OpenLdapBase;
    public const string AdUsersDn = "ou=users," + AdBase;
    public const string AdGroupsDn = "ou=groups," + AdBase;

    /// <summary>The search account tests configure Dockyard with; may read both suffixes.</summary>
    public const string BindDn = "cn=dockyard-reader,ou=system," + OpenLdapBase;
    public const string BindPassword = "reader-Secret-42";

    private const string RootPassword = "root-Secret-42";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(30);

    private readonly OutputBuffer _log = new();
    private TempDirectory? _root;
    private Process? _slapd;
    private string _ldapAdd = "ldapadd";
    private string _ldapModify = "ldapmodify";
    private string _ldapDelete = "ldapdelete";
    private int _ldifCounter;

    /// <summary><c>ldap://127.0.0.1:PORT</c> (StartTLS offered).</summary>
    public string Url { get; private set; } = string.Empty;

    /// <summary><c>ldaps://127.0.0.1:PORT</c></summary>
    public string SecureUrl { get; private set; } = string.Empty;

    public int Port { get; private set; }

    /// <summary>A directory holding only the test CA that signed slapd's certificate (for TrustedCertificatesDirectory).</summary>
    public string CaDirectory { get; private set; } = string.Empty;

    /// <summary>Recent slapd output, for failure messages.</summary>
    public string Log => _log.Tail();

    public async Task InitializeAsync()
    {
        var slapd = ExternalTool.Require("slapd", "slapd", "/usr/sbin/slapd");
        _ldapAdd = ExternalTool.Require("ldapadd", "ldap-utils", "/usr/bin/ldapadd");
        _ldapModify = ExternalTool.Require("ldapmodify", "ldap-utils", "/usr/bin/ldapmodify");
        _ldapDelete = ExternalTool.Require("ldapdelete", "ldap-utils", "/usr/bin/ldapdelete");
        ExternalTool.Require("ldapwhoami", "ldap-utils", "/usr/bin/ldapwhoami");
        foreach (var module in new[] { "back_mdb.so", "memberof.so", "refint.so" })
        {
            if (!File.Exists(Path.Combine("/usr/lib/ldap", module)))
            {
                throw new InvalidOperationException($"slapd module /usr/lib/ldap/{module} is missing. Install the Debian package `slapd`, or run scripts/install-test-deps.sh.");
            }
        }

        _root = new TempDirectory("slapd");
        await CreateCertificatesAsync(_root);
        File.WriteAllText(_root.Combine("ad.schema"), AdSchema);
        Directory.CreateDirectory(_root.Combine("db-openldap"));
        Directory.CreateDirectory(_root.Combine("db-ad"));
        var config = _root.Combine("slapd.conf");
        File.WriteAllText(config, SlapdConf(_root.Path));

        // A port picked by the kernel can be taken by someone else before slapd binds it: retry with a new one.
        for (var attempt = 1; attempt <= 3 && _slapd is null; attempt++)
        {
            Port = LoopbackPorts.Free();
            Url = string.Create(CultureInfo.InvariantCulture, $"ldap://127.0.0.1:{Port}");
            SecureUrl = string.Create(CultureInfo.InvariantCulture, $"ldaps://127.0.0.1:{LoopbackPorts.Free()}");
            await StartAsync(slapd, config);
        }

        if (_slapd is null)
        {
            throw new InvalidOperationException($"slapd did not start.{Environment.NewLine}--- slapd log ---{Environment.NewLine}{_log.Tail()}");
        }

        await AddAsync($"""
            dn: {OpenLdapBase}
            objectClass: dcObject
            objectClass: organization
            o: Example
            dc: example

            dn: ou=system,{OpenLdapBase}
            objectClass: organizationalUnit
            ou: system

            dn: {BindDn}
            objectClass: inetOrgPerson
            cn: dockyard-reader
            sn: reader
            userPassword: {BindPassword}

            dn: {PeopleDn}
            objectClass: organizationalUnit
            ou: people

            dn: {GroupsDn}
            objectClass: organizationalUnit
            ou: groups
            """);
        await AddAsync($"""
            dn: {AdBase}
            objectClass: dcObject
            objectClass: organization
            o: Corp
            dc: corp

            dn: {AdUsersDn}
            objectClass: organizationalUnit
            ou: users

            dn: {AdGroupsDn}
            objectClass: organizationalUnit
            ou: groups
            """);
    }

    public async Task DisposeAsync()
    {
        if (_slapd is not null)
        {
            await UnixProcess.TerminateAsync(_slapd, TimeSpan.FromSeconds(10));
            _slapd.Dispose();
            _slapd = null;
        }

        _root?.Dispose();
    }

    /// <summary>
    /// Freezes this fixture's slapd (SIGSTOP, by its PID): connections are still accepted by the kernel but nothing
    /// answers. Disposing the result thaws it (SIGCONT); callers dispose it in a finally.
    /// </summary>
    public async Task<IAsyncDisposable> FreezeAsync()
    {
        var pid = _slapd?.Id ?? throw new InvalidOperationException("slapd is not running.");
        if (!await UnixProcess.SignalAsync(pid, UnixProcess.SigStop))
        {
            throw new InvalidOperationException($"Could not stop slapd (PID {pid}).");
        }

        return new Thaw(pid);
    }

    /// <summary>Adds an inetOrgPerson under <see cref="PeopleDn"/>; returns its DN.</summary>
    public async Task<string> AddUserAsync(string uid, string password, string? mail = null, string? displayName = null)
    {
        var dn = $"uid={uid},{PeopleDn}";
        await AddAsync(Entry(
            $"dn: {dn}",
            "objectClass: inetOrgPerson",
            $"uid: {uid}",
            $"cn: {displayName ?? uid}",
            $"sn: {uid}",
            $"userPassword: {password}",
            mail is null ? null : $"mail: {mail}",
            displayName is null ? null : $"displayName: {displayName}"));
        return dn;
    }

    /// <summary>Adds an AD-shaped user (inetOrgPerson + the auxiliary <c>user</c> class) under <see cref="AdUsersDn"/>.</summary>
    public async Task<string> AddAdUserAsync(string cn, string samAccountName, string password, string? mail = null)
    {
        var dn = $"cn={cn},{AdUsersDn}";
        await AddAsync(Entry(
            $"dn: {dn}",
            "objectClass: inetOrgPerson",
            "objectClass: user",
            $"cn: {cn}",
            $"sn: {cn}",
            $"sAMAccountName: {samAccountName}",
            $"displayName: {cn}",
            $"userPassword: {password}",
            mail is null ? null : $"mail: {mail}"));
        return dn;
    }

    /// <summary>
    /// Adds a groupOfNames with the given members (members must already exist for memberof to record them). The
    /// schema requires at least one member, so every group also lists a placeholder DN that names no entry: removing
    /// or deleting the last real member then never empties the group.
    /// </summary>
    public async Task<string> AddGroupAsync(string parentDn, string cn, params string[] memberDns)
    {
        var dn = $"cn={cn},{parentDn}";
        string[] members = [$"cn=placeholder,{parentDn}", .. memberDns];
        await AddAsync($"dn: {dn}\nobjectClass: groupOfNames\ncn: {cn}\n" + string.Concat(members.Select(m => $"member: {m}\n")));
        return dn;
    }

    public Task AddMemberAsync(string groupDn, string memberDn) =>
        ModifyAsync($"dn: {groupDn}\nchangetype: modify\nadd: member\nmember: {memberDn}\n");

    public Task RemoveMemberAsync(string groupDn, string memberDn) =>
        ModifyAsync($"dn: {groupDn}\nchangetype: modify\ndelete: member\nmember: {memberDn}\n");

    public Task DeleteAsync(string dn) =>
        ProcessRunner.RunAsync(_ldapDelete, [.. AdminArgs(dn), dn], timeout: TimeSpan.FromSeconds(30));

    /// <summary>Loads LDIF entries with ldapadd as the suffix's root DN (so the overlays see every change).</summary>
    public Task AddAsync(string ldif) => RunLdifAsync(_ldapAdd, ldif);

    public Task ModifyAsync(string ldif) => RunLdifAsync(_ldapModify, ldif);

    private async Task RunLdifAsync(string tool, string ldif)
    {
        var entries = ldif.Replace("\r", string.Empty, StringComparison.Ordinal)
            .Split("\n\n", StringSplitOptions.RemoveEmptyEntries)
            .Select(e => string.Join('\n', e.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0)))
            .Where(e => e.Length > 0)
            .ToList();
        var firstDn = entries[0].Split('\n')[0]["dn:".Length..].Trim();
        var file = _root!.Combine($"change-{Interlocked.Increment(ref _ldifCounter)}.ldif");
        await File.WriteAllTextAsync(file, string.Join("\n\n", entries) + "\n");
        await ProcessRunner.RunAsync(tool, [.. AdminArgs(firstDn), "-f", file], timeout: TimeSpan.FromSeconds(30));
    }

    private sealed class Thaw(int pid) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync() => await UnixProcess.SignalAsync(pid, UnixProcess.SigCont);
    }

    private static string Entry(params string?[] lines) => string.Join('\n', lines.Where(l => l is not null));

    private string[] AdminArgs(string dn)
    {
        var suffix = dn.EndsWith(AdBase, StringComparison.OrdinalIgnoreCase) ? AdBase : OpenLdapBase;
        return ["-x", "-H", Url, "-D", $"cn=admin,{suffix}", "-w", RootPassword];
    }

    private async Task StartAsync(string slapd, string config)
    {
        var startInfo = new ProcessStartInfo(slapd)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        // -d keeps slapd in the foreground, so this Process is slapd itself and can be stopped by its PID.
        foreach (var arg in new[] { "-h", $"{Url}/ {SecureUrl}/", "-f", config, "-d", "0" })
        {
            startInfo.ArgumentList.Add(arg);
        }

        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => _log.AppendLine("[slapd] ", e.Data);
        process.ErrorDataReceived += (_, e) => _log.AppendLine("[slapd] ", e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                _log.AppendLine("[fixture] ", $"slapd exited with {process.ExitCode} on port {Port}");
                process.Dispose();
                return;
            }

            var whoami = await ProcessRunner.RunUncheckedAsync(
                "ldapwhoami", ["-x", "-H", Url, "-D", $"cn=admin,{OpenLdapBase}", "-w", RootPassword], timeout: TimeSpan.FromSeconds(10));
            if (whoami.ExitCode == 0)
            {
                _slapd = process;
                return;
            }

            await Task.Delay(100);
        }

        await UnixProcess.TerminateAsync(process, TimeSpan.FromSeconds(5));
        process.Dispose();
        throw new InvalidOperationException($"slapd did not answer within {ReadyTimeout.TotalSeconds:0} s.{Environment.NewLine}{_log.Tail()}");
    }

    /// <summary>A throwaway CA and a server certificate for 127.0.0.1 (SAN IP), made with openssl.</summary>
    private async Task CreateCertificatesAsync(TempDirectory root)
    {
        var openssl = ExternalTool.Require("openssl", "openssl", "/usr/bin/openssl");
        CaDirectory = Directory.CreateDirectory(root.Combine("ca")).FullName;
        var tls = Directory.CreateDirectory(root.Combine("tls")).FullName;
        var caKey = Path.Combine(tls, "ca.key");
        var caCert = Path.Combine(CaDirectory, "ca.pem");
        var key = Path.Combine(tls, "server.key");
        var csr = Path.Combine(tls, "server.csr");
        var ext = Path.Combine(tls, "server.ext");
        await File.WriteAllTextAsync(ext, "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n");
        var timeout = TimeSpan.FromSeconds(60);
        await ProcessRunner.RunAsync(openssl, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", caKey, "-out", caCert, "-days", "2", "-subj", "/CN=Dockyard Test LDAP CA"], timeout: timeout);
        await ProcessRunner.RunAsync(openssl, ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1"], timeout: timeout);
        await ProcessRunner.RunAsync(openssl, ["x509", "-req", "-in", csr, "-CA", caCert, "-CAkey", caKey, "-CAcreateserial", "-out", Path.Combine(tls, "server.pem"), "-days", "2", "-extfile", ext], timeout: timeout);
        // OpenSSL-built clients look CAs up by subject hash; GnuTLS-built ones (Debian's) read every file.
        await ProcessRunner.RunUncheckedAsync(openssl, ["rehash", CaDirectory], timeout: timeout);
    }

    // sAMAccountName as Active Directory has it (case-insensitive), and an auxiliary class to carry it, named
    // "user" so the usual AD filter (&(objectClass=user)(sAMAccountName={0})) works unchanged.
    private const string AdSchema = """
        attributetype ( 1.3.6.1.4.1.55555.1.1 NAME 'sAMAccountName'
          EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
          SYNTAX 1.3.6.1.4.1.1466.115.121.1.15{256} SINGLE-VALUE )
        objectclass ( 1.3.6.1.4.1.55555.2.1 NAME 'user' SUP top AUXILIARY
          MAY ( sAMAccountName ) )

        """;

    private static string SlapdConf(string root) => $"""
        include /etc/ldap/schema/core.schema
        include /etc/ldap/schema/cosine.schema
        include /etc/ldap/schema/inetorgperson.schema
        include {root}/ad.schema
        pidfile {root}/slapd.pid
        argsfile {root}/slapd.args
        modulepath /usr/lib/ldap
        moduleload back_mdb
        moduleload memberof
        moduleload refint
        TLSCACertificateFile {root}/ca/ca.pem
        TLSCertificateFile {root}/tls/server.pem
        TLSCertificateKeyFile {root}/tls/server.key

        {Database(OpenLdapBase, $"{root}/db-openldap")}

        {Database(AdBase, $"{root}/db-ad")}

        """;

    private static string Database(string suffix, string directory) => $"""
        database mdb
        suffix "{suffix}"
        rootdn "cn=admin,{suffix}"
        rootpw {RootPassword}
        directory {directory}
        maxsize 67108864
        access to attrs=userPassword by anonymous auth by * none
        access to * by users read by * none
        overlay memberof
        memberof-refint TRUE
        overlay refint
        refint_attributes member
        """;
}
