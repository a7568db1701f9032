using GrowthBrain.Tests.Infrastructure;

// One template database per provider for the whole run; every data test copies it.
[assembly: AssemblyFixture(typeof(SqliteDatabases))]
[assembly: AssemblyFixture(typeof(PostgresDatabases))]
