"""attendance, leave requests and the check-in state of meetings

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21 18:46:40.621309
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

_OPEN_LEAVE = "status IN ('requested', 'approved')"


def upgrade() -> None:
    op.create_table('meeting_checkin',
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('is_open', sa.Boolean(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=True),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('screen_generation', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_meeting_checkin_meeting_id_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('meeting_id', name=op.f('pk_meeting_checkin'))
    )
    op.create_table('attendance',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('representative_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=True),
    sa.Column('method', sa.String(length=16), nullable=True),
    sa.Column('checked_in_at', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("method IS NULL OR method IN ('qr', 'desk', 'card_scan')", name=op.f('ck_attendance_method')),
    sa.CheckConstraint("status IN ('present', 'absent', 'on_leave')", name=op.f('ck_attendance_status')),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_attendance_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['representative_id'], ['representative.id'], name=op.f('fk_attendance_representative_id_representative'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user_account.id'], name=op.f('fk_attendance_updated_by_id_user_account'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attendance')),
    sa.UniqueConstraint('meeting_id', 'representative_id', name='uq_attendance_meeting_representative')
    )
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.create_index('ix_attendance_representative', ['representative_id'], unique=False)

    op.create_table('leave_request',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=False),
    sa.Column('representative_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.String(length=500), nullable=False),
    sa.Column('requested_at', sa.DateTime(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_note', sa.String(length=500), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint("status IN ('requested', 'approved', 'declined', 'cancelled')", name=op.f('ck_leave_request_status')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['user_account.id'], name=op.f('fk_leave_request_decided_by_id_user_account'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_leave_request_meeting_id_meeting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['representative_id'], ['representative.id'], name=op.f('fk_leave_request_representative_id_representative'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_leave_request'))
    )
    with op.batch_alter_table('leave_request', schema=None) as batch_op:
        batch_op.create_index('ix_leave_request_meeting', ['meeting_id', 'representative_id'], unique=False)
        # One open (requested or approved) request per person and meeting.
        batch_op.create_index('uq_leave_request_open', ['meeting_id', 'representative_id'], unique=True,
                              postgresql_where=sa.text(_OPEN_LEAVE), sqlite_where=sa.text(_OPEN_LEAVE))


def downgrade() -> None:
    with op.batch_alter_table('leave_request', schema=None) as batch_op:
        batch_op.drop_index('uq_leave_request_open', postgresql_where=sa.text(_OPEN_LEAVE), sqlite_where=sa.text(_OPEN_LEAVE))
        batch_op.drop_index('ix_leave_request_meeting')

    op.drop_table('leave_request')
    with op.batch_alter_table('attendance', schema=None) as batch_op:
        batch_op.drop_index('ix_attendance_representative')

    op.drop_table('attendance')
    op.drop_table('meeting_checkin')
