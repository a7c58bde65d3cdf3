"""Every action_id, callback_id, block_id and metadata event type the app uses."""

from enum import StrEnum


class ActionId(StrEnum):
    """action_id of interactive elements."""

    ADD_UPDATE = "dbm_add_update"
    ROLL_PRESENT = "dbm_roll_present"
    ROLL_NIL = "dbm_roll_nil"
    ROLL_APOLOGIES = "dbm_roll_apologies"
    UPDATE_EDIT = "dbm_update_edit"
    UPDATE_WITHDRAW = "dbm_update_withdraw"
    DEMAND_MET = "dbm_demand_met"
    DEMAND_WITHDRAW = "dbm_demand_withdraw"
    DEMAND_RENEW = "dbm_demand_renew"
    DEMAND_REOPEN = "dbm_demand_reopen"
    GUIDANCE_SHOW = "dbm_guidance_show"
    GUIDANCE_ACK = "dbm_guidance_ack"
    HOME_OPEN = "dbm_home_open"
    HOME_CLOSE = "dbm_home_close"
    HOME_REMIND = "dbm_home_remind"
    HOME_EXPORT = "dbm_home_export"
    THREAD_LINK = "dbm_thread_link"
    # On the private answer to a thread reply: record it as a kind (a choice, or a kind that was
    # worked out and is changed), and open the form filled in with what was read of it.
    REPLY_AS_EVENT = "dbm_reply_as_event"
    REPLY_AS_PLAN = "dbm_reply_as_plan"
    REPLY_AS_DEMAND = "dbm_reply_as_demand"
    REPLY_FORM = "dbm_reply_form"


class CallbackId(StrEnum):
    """callback_id of modals."""

    UPDATE_MODAL = "dbm_update_modal"
    UPDATE_EDIT_MODAL = "dbm_update_edit_modal"


class BlockId(StrEnum):
    """block_id of blocks, and of modal inputs (their errors are keyed by block_id)."""

    HEADER = "dbm_header"
    WINDOWS = "dbm_windows"
    ROLL_CALL = "dbm_roll_call"
    DEMANDS = "dbm_demands"
    TIMES = "dbm_times"
    CLOSED = "dbm_closed"
    UPDATE_KIND = "dbm_in_kind"
    UPDATE_THREATS = "dbm_in_threats"
    UPDATE_BODY = "dbm_in_body"
    UPDATE_WHEN = "dbm_in_when"
    UPDATE_LOCATION = "dbm_in_location"
    UPDATE_SUMMARY = "dbm_in_summary"
    UPDATE_MARKING = "dbm_in_marking"
    UPDATE_RESPOND_BODY = "dbm_in_respond_body"
    UPDATE_DUE = "dbm_in_due"
    UPDATE_CARD_ACTIONS = "dbm_card_actions"
    GUIDANCE_ACTIONS = "dbm_guidance_actions"
    HOME_CHAIR_ACTIONS = "dbm_home_chair"
    REPLY_ACTIONS = "dbm_reply_actions"


class InputId(StrEnum):
    """action_id of the input elements inside modal input blocks."""

    KIND = "kind"
    THREATS = "threats"
    BODY = "body"
    WHEN = "when"
    LOCATION = "location"
    SUMMARY = "summary"
    MARKING = "marking"
    RESPOND_BODY = "respond_body"
    DUE = "due"


class EventType(StrEnum):
    """Message metadata event types the bot attaches to its own messages."""

    BRIEFING_OPENED = "dbm_briefing_opened"
    UPDATE_CARD = "dbm_update_card"
    DIGEST = "dbm_digest"
    RUNNING_ORDER = "dbm_running_order"
    GUIDANCE = "dbm_guidance"
    RECORD_LINK = "dbm_record_link"
