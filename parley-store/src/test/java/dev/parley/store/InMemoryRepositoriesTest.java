package dev.parley.store;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;

/** The port contracts against the PBX's in-memory implementations: the reference the JDBC store must match. */
class InMemoryRepositoriesTest {
    private Repositories repositories;

    @BeforeEach
    void fresh() {
        repositories = Repositories.inMemory();
    }

    @Nested
    class Users extends UserRepositoryContract {
        @Override
        protected Repositories repositories() {
            return repositories;
        }
    }

    @Nested
    class Extensions extends ExtensionRepositoryContract {
        @Override
        protected Repositories repositories() {
            return repositories;
        }
    }

    @Nested
    class Devices extends DeviceRepositoryContract {
        @Override
        protected Repositories repositories() {
            return repositories;
        }
    }

    @Nested
    class Bindings extends BindingRepositoryContract {
        @Override
        protected Repositories repositories() {
            return repositories;
        }
    }

    @Nested
    class CallRecords extends CallRecordRepositoryContract {
        @Override
        protected Repositories repositories() {
            return repositories;
        }
    }

    @Nested
    class WebPasswords extends WebPasswordRepositoryContract {
        @Override
        protected Repositories repositories() {
            return repositories;
        }
    }

    @Nested
    class ApiTokens extends ApiTokenRepositoryContract {
        @Override
        protected Repositories repositories() {
            return repositories;
        }
    }

    @Nested
    class WebSessions extends WebSessionRepositoryContract {
        @Override
        protected Repositories repositories() {
            return repositories;
        }
    }

    @Nested
    class UserSettings extends UserSettingsRepositoryContract {
        private final SettingsRepositories settings = SettingsRepositories.inMemory();

        @Override
        protected SettingsRepositories repositories() {
            return settings;
        }
    }

    @Nested
    class Contacts extends ContactRepositoryContract {
        private final SettingsRepositories settings = SettingsRepositories.inMemory();

        @Override
        protected SettingsRepositories repositories() {
            return settings;
        }
    }

    @Nested
    class AccountFlows extends AccountFlowRepositoryContract {
        private final AccountRepositories fresh = AccountRepositories.inMemory();

        @Override
        protected AccountRepositories repositories() {
            return fresh;
        }
    }

    @Nested
    class Totp extends TotpRepositoryContract {
        private final AccountRepositories fresh = AccountRepositories.inMemory();

        @Override
        protected AccountRepositories repositories() {
            return fresh;
        }
    }
}
