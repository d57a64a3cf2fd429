using Dockyard.Server.Tests.Infrastructure;

namespace Dockyard.Server.Tests.Ldap;

/// <summary>Tests against one private OpenLDAP slapd; each test uses its own users and groups and its own Dockyard.</summary>
[CollectionDefinition(Name)]
public sealed class LdapCollection : ICollectionFixture<SlapdFixture>
{
    public const string Name = "Ldap";
}
