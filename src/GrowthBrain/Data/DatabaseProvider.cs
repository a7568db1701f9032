namespace GrowthBrain.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}
