package dev.abuseguard.admin;

/**
 * Who acts on a user, as the audit trail records it.
 *
 * @param by    the event's {@code by}: the admin token's label, or {@code discord:<moderator's id>}
 * @param where where the operator acted, added to the event's detail (a Discord guild); empty when it adds nothing
 */
public record Actor(String by, String where) {

    public Actor {
        where = where == null ? "" : where;
    }

    /** An operator known by name alone (the admin API's token label). */
    public static Actor named(String by) {
        return new Actor(by, "");
    }

    /** The event's detail with where the operator acted. */
    String detail(String detail) {
        if (where.isEmpty()) {
            return detail;
        }
        return detail.isEmpty() ? where : detail + "; " + where;
    }
}
