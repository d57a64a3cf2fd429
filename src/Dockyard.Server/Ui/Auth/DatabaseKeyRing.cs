using System.Xml.Linq;
using Dockyard.Server.Data;
using Dockyard.Server.Data.Entities;
using Dockyard.Server.Protection;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;

namespace Dockyard.Server.Ui.Auth;

/// <summary>
/// The data-protection key ring (what UI cookies and antiforgery tokens are encrypted with) kept in the database's
/// <c>settings</c> table, so every replica behind a load balancer reads the same keys and a session or form issued by
/// one replica is accepted by the others. Keys are written once and rarely (the framework rotates them every 90 days);
/// the framework caches the ring, so these synchronous calls are off the request path. Each key's XML is stored sealed by
/// <see cref="SecretProtector"/> (<see cref="KeyRingSecrets"/>): a copy of the database cannot forge a session cookie.
/// </summary>
internal sealed class DatabaseKeyRing(IDbContextFactory<DockyardDbContext> contexts, TimeProvider time, SecretProtector protector) : IXmlRepository
{
    public const string Prefix = "data-protection/";

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = contexts.CreateDbContext();
        return db.Settings.AsNoTracking()
            .Where(s => s.Key.StartsWith(Prefix))
            .OrderBy(s => s.Key)
            .Select(s => s.ValueJson)
            .AsEnumerable()
            .Select(value => XElement.Parse(protector.Unprotect(value)))
            .ToList();
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        using var db = contexts.CreateDbContext();
        db.Settings.Add(new SettingEntity
        {
            // Friendly names are "key-<guid>": unique, so replicas creating keys at once never collide.
            Key = Prefix + friendlyName,
            ValueJson = protector.Protect(element.ToString(SaveOptions.DisableFormatting)),
            UpdatedAt = time.GetUtcNow(),
        });
        db.SaveChanges();
    }
}
