package io.siphon.server.ui;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.http.CacheControl;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.resource.PathResourceResolver;

/**
 * Serves the web UI (module {@code siphon-ui}, on the class path under {@code siphon-ui/}) at
 * {@code /}. Its hashed assets are cached for a year (a new build has new names); {@code
 * index.html} is revalidated at every load, and answers every page path that is not a file (the UI
 * routes in the browser), so a deep link or a reload works. Paths of the API and of the actuator
 * never fall back to it: an unknown API path stays a 404.
 */
@Configuration
public class WebUi implements WebMvcConfigurer {

    /** Where the built UI is on the class path. */
    static final String LOCATION = "classpath:/siphon-ui/";

    private static final String INDEX = "index.html";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        // A resource handler never serves an empty path: "/" is index.html by forward.
        registry.addViewController("/").setViewName("forward:/" + INDEX);
    }

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/assets/**")
                .addResourceLocations(LOCATION + "assets/")
                .setCacheControl(CacheControl.maxAge(365, TimeUnit.DAYS).cachePublic().immutable())
                .resourceChain(true);
        registry.addResourceHandler("/**")
                .addResourceLocations(LOCATION)
                .setCacheControl(CacheControl.noCache())
                .resourceChain(true)
                .addResolver(new PageFallback());
    }

    /**
     * Whether a request is for the UI (a page or one of its files) rather than the API: a GET or
     * HEAD outside {@code /api/}, {@code /actuator/} and the OpenAPI paths. Such requests need no
     * sign-in: the UI is public code, and the data it shows comes from the API, which does.
     */
    public static boolean isUi(HttpServletRequest request) {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return false;
        }
        return isPagePath(request.getRequestURI().substring(request.getContextPath().length()));
    }

    static boolean isPagePath(String path) {
        return !(path.startsWith("/api/")
                || path.equals("/api")
                || path.startsWith("/actuator")
                || path.startsWith("/swagger-ui")
                || path.startsWith("/v3/"));
    }

    /** A file of the UI if there is one, else {@code index.html} for a page path. */
    private static final class PageFallback extends PathResourceResolver {
        @Override
        protected Resource getResource(String resourcePath, Resource location) throws IOException {
            // A folder is no file to serve, on disk or in a jar.
            Resource file =
                    resourcePath.isEmpty() || resourcePath.endsWith("/")
                            ? null
                            : super.getResource(resourcePath, location);
            if (file != null) {
                return file;
            }
            if (!isPagePath("/" + resourcePath) || resourcePath.startsWith("assets/")) {
                return null;
            }
            Resource index = location.createRelative(INDEX);
            return index.exists() && index.isReadable() ? index : null;
        }
    }
}
