namespace GrowthBrain.Accounts;

/// <summary>A person who uses GrowthBrain. Minimal until the accounts capability adds sign-in.</summary>
public sealed class User
{
    public long Id { get; set; }
    public long TeamId { get; set; }
    public required string Email { get; set; }
    public required string DisplayName { get; set; }
    public UserRole Role { get; set; } = UserRole.Rep;
    public DateTime CreatedAt { get; set; }
}

public enum UserRole
{
    Rep = 0,
    Manager = 1,
    Admin = 2,
    Owner = 3,
}
