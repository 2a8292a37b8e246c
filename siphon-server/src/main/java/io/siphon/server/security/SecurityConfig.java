package io.siphon.server.security;

import io.siphon.server.ui.WebUi;
import io.siphon.server.user.Role;
import io.siphon.server.user.TokenStore;
import io.siphon.server.user.UserStore;
import jakarta.servlet.DispatcherType;
import java.time.Clock;
import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.RequestCacheConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.DelegatingSecurityContextRepository;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.security.web.csrf.CsrfFilter;

/**
 * Who may call what. Every request needs a signed-in user except health, login and token creation
 * (which carry credentials themselves). Roles nest: admin > operator > viewer.
 *
 * <ul>
 *   <li>viewer: every {@code GET} of the API and the Prometheus endpoint;
 *   <li>operator: every change to connections and pipelines, connection tests, validation;
 *   <li>admin: users and the audit log.
 * </ul>
 *
 * <p>Spring's CSRF tokens are off: API clients send bearer tokens, which a browser never adds by
 * itself; requests that only the session cookie authenticates must come from this server's own
 * origin ({@link SameOriginFilter}). Sessions are made only by signing in, never for anonymous
 * requests, and follow their user ({@link SessionUserFilter}); password guessing is slowed by
 * {@link LoginThrottle}.
 */
@Configuration
public class SecurityConfig {

    private static final String VIEWER = Role.VIEWER.name();
    private static final String OPERATOR = Role.OPERATOR.name();
    private static final String ADMIN = Role.ADMIN.name();

    @Bean
    PasswordEncoder passwordEncoder() {
        return new BCryptPasswordEncoder();
    }

    @Bean
    RoleHierarchy roleHierarchy() {
        return RoleHierarchyImpl.withDefaultRolePrefix()
                .role(ADMIN)
                .implies(OPERATOR)
                .role(OPERATOR)
                .implies(VIEWER)
                .build();
    }

    @Bean
    UserDetailsService userDetailsService(UserStore users) {
        return username ->
                users.find(username)
                        .flatMap(
                                user ->
                                        users.passwordHashOf(username)
                                                .map(
                                                        hash ->
                                                                User.withUsername(username)
                                                                        .password(hash)
                                                                        .authorities(
                                                                                List.of(
                                                                                        new SimpleGrantedAuthority(
                                                                                                user.role()
                                                                                                        .authority())))
                                                                        .build()))
                        .orElseThrow(() -> new UsernameNotFoundException(username));
    }

    @Bean
    LoginThrottle loginThrottle() {
        return new LoginThrottle(Clock.systemUTC());
    }

    @Bean
    AuthenticationManager authenticationManager(
            UserDetailsService userDetails, PasswordEncoder encoder, LoginThrottle throttle) {
        DaoAuthenticationProvider provider = new DaoAuthenticationProvider(userDetails);
        provider.setPasswordEncoder(encoder);
        return throttle.guard(new ProviderManager(provider));
    }

    @Bean
    SecurityContextRepository securityContextRepository() {
        return new DelegatingSecurityContextRepository(
                new RequestAttributeSecurityContextRepository(),
                new HttpSessionSecurityContextRepository());
    }

    @Bean
    SecurityFilterChain api(
            HttpSecurity http,
            TokenStore tokens,
            UserStore users,
            ProblemResponses problems,
            SecurityContextRepository contexts,
            AuthenticationManager authentication)
            throws Exception {
        http.csrf(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .authenticationManager(authentication)
                .securityContext(c -> c.securityContextRepository(contexts))
                // Only POST /api/v1/auth/login makes a session; a refused request saves nothing.
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.NEVER))
                .requestCache(RequestCacheConfigurer::disable)
                .headers(
                        h ->
                                h.contentSecurityPolicy(
                                        c ->
                                                c.policyDirectives(
                                                        "default-src 'self'; img-src 'self' data:;"
                                                                + " style-src 'self'"
                                                                + " 'unsafe-inline';"
                                                                + " frame-ancestors 'none';"
                                                                + " form-action 'self'")))
                .httpBasic(
                        b ->
                                b.authenticationEntryPoint(problems.unauthenticated())
                                        .securityContextRepository(
                                                new RequestAttributeSecurityContextRepository()))
                .exceptionHandling(
                        e ->
                                e.authenticationEntryPoint(problems.unauthenticated())
                                        .accessDeniedHandler(problems.denied()))
                .addFilterAfter(
                        new SessionUserFilter(users, problems), SecurityContextHolderFilter.class)
                .addFilterAt(new SameOriginFilter(problems), CsrfFilter.class)
                .addFilterBefore(
                        new BearerTokenFilter(tokens, problems), BasicAuthenticationFilter.class)
                .authorizeHttpRequests(
                        a ->
                                a.requestMatchers(HttpMethod.GET, "/actuator/health/**")
                                        .permitAll()
                                        .requestMatchers(
                                                HttpMethod.POST,
                                                "/api/v1/auth/login",
                                                "/api/v1/auth/token")
                                        .permitAll()
                                        // Spring's error page, only as the target of an
                                        // error dispatch (BodyLimitFilter answers direct calls).
                                        .dispatcherTypeMatchers(DispatcherType.ERROR)
                                        .permitAll()
                                        .requestMatchers("/api/v1/users/**", "/api/v1/audit/**")
                                        .hasRole(ADMIN)
                                        .requestMatchers("/api/v1/auth/**", "/api/v1/tokens/**")
                                        .authenticated()
                                        .requestMatchers(
                                                HttpMethod.GET,
                                                "/api/v1/**",
                                                "/actuator/prometheus",
                                                "/swagger-ui/**",
                                                "/v3/api-docs/**")
                                        .hasRole(VIEWER)
                                        .requestMatchers("/api/v1/**")
                                        .hasRole(OPERATOR)
                                        // The web UI's pages and files; what they show comes
                                        // from the API above.
                                        .requestMatchers(WebUi::isUi)
                                        .permitAll()
                                        .anyRequest()
                                        .denyAll());
        return http.build();
    }
}
