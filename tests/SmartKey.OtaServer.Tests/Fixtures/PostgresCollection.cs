using Xunit;

[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace SmartKey.OtaServer.Tests.Fixtures;

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgres";
}
