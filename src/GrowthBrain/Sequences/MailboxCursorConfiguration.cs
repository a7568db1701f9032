using GrowthBrain.Leads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace GrowthBrain.Sequences;

internal sealed class MailboxCursorConfiguration : IEntityTypeConfiguration<MailboxCursor>
{
    public void Configure(EntityTypeBuilder<MailboxCursor> e)
    {
        e.ToTable("mailbox_cursors");
        e.Property(c => c.Mailbox).HasMaxLength(Lead.ShortText);
        e.HasIndex(c => c.Mailbox).IsUnique();
    }
}
