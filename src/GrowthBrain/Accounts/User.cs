using Microsoft.AspNetCore.Identity;

namespace GrowthBrain.Accounts;

/// <summary>
/// A person who signs in to GrowthBrain. ASP.NET Core Identity keeps the password hash, lockout and
/// security stamp; we add the home team, the role and a display name.
/// </summary>
public sealed class User : IdentityUser<long>
{
    /// <summary>The team new leads and imports of this user belong to; also a team the user can see.</summary>
    public long TeamId { get; set; }
    public required string DisplayName { get; set; }
    public UserRole Role { get; set; } = UserRole.Rep;
    public DateTime CreatedAt { get; set; }
}

/// <summary>Ordered: each role can do everything the ones below it can.</summary>
public enum UserRole
{
    /// <summary>Sees and works the leads of their teams.</summary>
    Rep = 0,
    /// <summary>Also trains and promotes models, edits playbooks and sees team performance.</summary>
    Manager = 1,
    /// <summary>Sees every team; manages users, integrations, settings and privacy requests.</summary>
    Admin = 2,
    /// <summary>Everything, including the audit log.</summary>
    Owner = 3,
}

/// <summary>Identity's user table, named like ours. Users are not team-filtered: sign-in must find any user.</summary>
internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> e)
    {
        e.ToTable("users");
        e.Property(u => u.DisplayName).HasMaxLength(Leads.Lead.ShortText);
        e.HasOne<Team>().WithMany().HasForeignKey(u => u.TeamId).OnDelete(DeleteBehavior.Restrict);
    }
}
