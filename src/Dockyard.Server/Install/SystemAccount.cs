namespace Dockyard.Server.Install;

/// <summary>A user of the installed system as its <c>/etc/passwd</c> (under the install root) lists it.</summary>
internal sealed record SystemAccount(string Name, int Uid, int Gid)
{
    /// <summary>The account named <paramref name="name"/> in <paramref name="passwdFile"/>, or null.</summary>
    public static SystemAccount? Find(string passwdFile, string name)
    {
        if (!File.Exists(passwdFile))
        {
            return null;
        }

        foreach (var line in File.ReadLines(passwdFile))
        {
            var fields = line.Split(':');
            if (fields.Length >= 4 && fields[0] == name && int.TryParse(fields[2], out var uid) && int.TryParse(fields[3], out var gid))
            {
                return new SystemAccount(name, uid, gid);
            }
        }

        return null;
    }
}
