package dev.parley.store;

import org.junit.jupiter.api.Nested;

/**
 * Every port contract and the JDBC store's own guarantees, run against whatever store a subclass opens (SQLite,
 * PostgreSQL). JUnit runs the {@code @Nested} classes of a superclass for each subclass.
 */
abstract class JdbcRepositoriesContracts {

    /** The store under test, open for the current test. */
    protected abstract Store store();

    @Nested
    class Users extends UserRepositoryContract {
        @Override
        protected Repositories repositories() {
            return Repositories.of(store());
        }
    }

    @Nested
    class Extensions extends ExtensionRepositoryContract {
        @Override
        protected Repositories repositories() {
            return Repositories.of(store());
        }
    }

    @Nested
    class Devices extends DeviceRepositoryContract {
        @Override
        protected Repositories repositories() {
            return Repositories.of(store());
        }
    }

    @Nested
    class Bindings extends BindingRepositoryContract {
        @Override
        protected Repositories repositories() {
            return Repositories.of(store());
        }
    }

    @Nested
    class CallRecords extends CallRecordRepositoryContract {
        @Override
        protected Repositories repositories() {
            return Repositories.of(store());
        }
    }

    @Nested
    class WebPasswords extends WebPasswordRepositoryContract {
        @Override
        protected Repositories repositories() {
            return Repositories.of(store());
        }
    }

    @Nested
    class ApiTokens extends ApiTokenRepositoryContract {
        @Override
        protected Repositories repositories() {
            return Repositories.of(store());
        }
    }

    @Nested
    class WebSessions extends WebSessionRepositoryContract {
        @Override
        protected Repositories repositories() {
            return Repositories.of(store());
        }
    }

    @Nested
    class Jdbc extends JdbcStoreContract {
        @Override
        protected Store store() {
            return JdbcRepositoriesContracts.this.store();
        }
    }

    @Nested
    class UserSettings extends UserSettingsRepositoryContract {
        @Override
        protected SettingsRepositories repositories() {
            return SettingsRepositories.of(store());
        }
    }

    @Nested
    class Contacts extends ContactRepositoryContract {
        @Override
        protected SettingsRepositories repositories() {
            return SettingsRepositories.of(store());
        }
    }

    @Nested
    class SettingsJdbc extends SettingsJdbcContract {
        @Override
        protected Store store() {
            return JdbcRepositoriesContracts.this.store();
        }
    }

    @Nested
    class AccountFlows extends AccountFlowRepositoryContract {
        @Override
        protected AccountRepositories repositories() {
            return AccountRepositories.of(store());
        }
    }

    @Nested
    class Totp extends TotpRepositoryContract {
        @Override
        protected AccountRepositories repositories() {
            return AccountRepositories.of(store());
        }
    }

    @Nested
    class AccountJdbc extends AccountJdbcContract {
        @Override
        protected Store store() {
            return JdbcRepositoriesContracts.this.store();
        }
    }

    @Nested
    class CallHistoryJdbc extends CallHistoryJdbcContract {
        @Override
        protected Store store() {
            return JdbcRepositoriesContracts.this.store();
        }
    }
}
